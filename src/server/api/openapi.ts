/**
 * The OpenAPI 3.1 document of `/api` (served at `GET /api/openapi.json`), generated from the
 * zod schemas the handlers use. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what
 * `z.toJSONSchema` writes.
 */
import { z } from 'zod';
import * as S from './schemas.js';

interface RouteDoc {
  readonly method: 'get' | 'post' | 'put';
  /** OpenAPI path (`/api/jobs/{key}`). */
  readonly path: string;
  readonly summary: string;
  readonly query?: z.ZodObject;
  readonly body?: {
    readonly schema?: z.ZodType;
    readonly contentType: string;
    readonly description?: string;
  };
  readonly ok: {
    readonly status: number;
    readonly schema?: z.ZodType;
    readonly contentType?: string;
    readonly description: string;
  };
  /** Errors beyond 400 and 401 (which every route may answer). */
  readonly notFound?: boolean;
  readonly write?: boolean;
}

/** Every route of /api, as documented. */
export const API_ROUTES: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/packages',
    summary: 'Published packages',
    ok: { status: 200, schema: S.PackageList, description: 'packages by name' },
  },
  {
    method: 'get',
    path: '/api/packages/{name}',
    summary: 'The published versions of one package',
    ok: { status: 200, schema: S.PackageVersions, description: 'versions' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/builds',
    summary: 'Builds, newest first',
    query: S.BuildsQuery,
    ok: { status: 200, schema: S.BuildList, description: 'builds' },
  },
  {
    method: 'get',
    path: '/api/builds/{key}',
    summary: 'One build by job key',
    ok: { status: 200, schema: S.Build, description: 'the build' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/jobs',
    summary: 'Jobs in queue order',
    query: S.JobsQuery,
    ok: { status: 200, schema: S.JobList, description: 'jobs' },
  },
  {
    method: 'get',
    path: '/api/jobs/{key}',
    summary: 'One job by key',
    ok: { status: 200, schema: S.Job, description: 'the job' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/jobs/{key}/log',
    summary: "A job's log as JSON lines",
    query: S.LogQuery,
    ok: {
      status: 200,
      schema: S.JobLogLine,
      contentType: 'application/x-ndjson',
      description: 'one JobLogLine per line',
    },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/jobs/{key}/log/stream',
    summary: "A job's log followed (SSE: event line, then end)",
    query: S.StreamQuery,
    ok: {
      status: 200,
      contentType: 'text/event-stream',
      description: 'event: line (data JobLogLine, id seq); event: end (data {status}) when the job is done',
    },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/images',
    summary: 'Images with their latest version',
    ok: { status: 200, schema: S.ImageList, description: 'images' },
  },
  {
    method: 'get',
    path: '/api/images/{name}',
    summary: 'One image: versions, digests, findings, signing, history',
    ok: { status: 200, schema: S.ImageDetail, description: 'the image' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/vulnerabilities',
    summary: 'Open findings across images',
    ok: { status: 200, schema: S.FindingList, description: 'findings' },
  },
  {
    method: 'get',
    path: '/api/advisories',
    summary: 'Workspace advisories as last mirrored',
    ok: { status: 200, schema: S.AdvisoryList, description: 'advisories' },
  },
  {
    method: 'post',
    path: '/api/advisories',
    summary: 'Add an event to an advisory',
    write: true,
    body: { schema: S.AdvisoryInputBody, contentType: 'application/json' },
    ok: { status: 201, schema: S.AdvisorySaved, description: 'saved; the reconciler is woken' },
  },
  {
    method: 'get',
    path: '/api/events',
    summary: 'The audit log: newest first, or oldest first after an id',
    query: S.EventsQuery,
    ok: { status: 200, schema: S.EventList, description: 'events' },
  },
  {
    method: 'get',
    path: '/api/events/stream',
    summary: 'The audit log followed (SSE)',
    query: S.StreamQuery,
    ok: {
      status: 200,
      contentType: 'text/event-stream',
      description: 'event: event (data Event, id event id)',
    },
  },
  {
    method: 'get',
    path: '/api/status',
    summary: 'What the reconciler concluded last, and queue counts',
    ok: { status: 200, schema: S.Status, description: 'status' },
  },
  {
    method: 'post',
    path: '/api/reconcile',
    summary: 'Wake the reconciler',
    write: true,
    ok: { status: 202, schema: S.Accepted, description: 'woken' },
  },
  {
    method: 'put',
    path: '/api/repository/{arch}/packages',
    summary: "Publish a worker's built packages",
    write: true,
    body: {
      contentType: 'multipart/form-data',
      description: 'fields key and recipe; one file part named package per .apk',
    },
    ok: { status: 201, schema: S.PublishedList, description: 'the packages as published' },
    notFound: true,
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    ok: { status: 200, contentType: 'application/json', description: 'OpenAPI 3.1' },
  },
];

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of API_ROUTES) {
    const parameters: Record<string, unknown>[] = [];
    for (const m of r.path.matchAll(/\{(\w+)\}/g))
      parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    for (const [name, schema] of Object.entries(r.query?.shape ?? {}))
      parameters.push({ name, in: 'query', required: false, schema: json(schema as z.ZodType, 'input') });
    const responses: Record<string, unknown> = {
      [String(r.ok.status)]: {
        description: r.ok.description,
        content: {
          [r.ok.contentType ?? 'application/json']: {
            schema: r.ok.schema === undefined ? {} : json(r.ok.schema),
          },
        },
      },
      400: errorResponse('a bad parameter or body; error.field names it'),
      401: errorResponse('no token, or a token that is unknown, revoked or lacks the scope'),
    };
    if (r.notFound) responses[404] = errorResponse('no such item');
    paths[r.path] = {
      ...paths[r.path],
      [r.method]: {
        summary: r.summary,
        operationId: `${r.method}${r.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ?? '').toUpperCase())}`,
        ...(parameters.length > 0 && { parameters }),
        ...(r.body !== undefined && {
          requestBody: {
            required: true,
            ...(r.body.description !== undefined && { description: r.body.description }),
            content: {
              [r.body.contentType]: {
                schema: r.body.schema === undefined ? { type: 'object' } : json(r.body.schema, 'input'),
              },
            },
          },
        }),
        responses,
        ...(r.write && { security: [{ bearer: [] }] }),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'larder factory API',
      version,
      description:
        'The factory behind `larder serve`. Writes need `Authorization: Bearer lt_…` with the write scope; reads too unless the workspace has server.public-reads.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Error: json(S.ErrorBody) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token lt_… (larder token create)' },
      },
    },
  };
}
