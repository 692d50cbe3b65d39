/** The routes of /api as the OpenAPI document describes them (checked against the app by a test). */
import type { z } from 'zod';
import * as S from './schemas.js';

export interface RouteDoc {
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

/** A GET route answering 200 with a JSON body of the schema. */
function get(
  path: string,
  summary: string,
  schema: z.ZodType,
  description: string,
  more: Pick<RouteDoc, 'query' | 'notFound'> = {},
): RouteDoc {
  return { method: 'get', path, summary, ok: { status: 200, schema, description }, ...more };
}

/** Every route of /api, as documented. */
export const API_ROUTES: readonly RouteDoc[] = [
  get('/api/packages', 'Published packages', S.PackageList, 'packages by name'),
  get('/api/packages/{name}', 'The published versions of one package', S.PackageVersions, 'versions', {
    notFound: true,
  }),
  get('/api/builds', 'Builds, newest first', S.BuildList, 'builds', { query: S.BuildsQuery }),
  get('/api/builds/{key}', 'One build by job key', S.Build, 'the build', { notFound: true }),
  get('/api/jobs', 'Jobs in queue order', S.JobList, 'jobs', { query: S.JobsQuery }),
  get('/api/jobs/{key}', 'One job by key', S.Job, 'the job', { notFound: true }),
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
  get('/api/images', 'Images with their latest version', S.ImageList, 'images'),
  get(
    '/api/images/{name}',
    'One image: versions, digests, findings, signing, history',
    S.ImageDetail,
    'the image',
    { notFound: true },
  ),
  get('/api/vulnerabilities', 'Open findings across images', S.FindingList, 'findings'),
  get('/api/advisories', 'Workspace advisories as last mirrored', S.AdvisoryList, 'advisories'),
  {
    method: 'post',
    path: '/api/advisories',
    summary: 'Add an event to an advisory',
    write: true,
    body: { schema: S.AdvisoryInputBody, contentType: 'application/json' },
    ok: { status: 201, schema: S.AdvisorySaved, description: 'saved; the reconciler is woken' },
  },
  get('/api/events', 'The audit log: newest first, or oldest first after an id', S.EventList, 'events', {
    query: S.EventsQuery,
  }),
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
  get('/api/status', 'What the reconciler concluded last, and queue counts', S.Status, 'status'),
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
