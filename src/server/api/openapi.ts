/**
 * The OpenAPI 3.1 document of `/api` (served at `GET /api/openapi.json`), generated from the
 * zod schemas the handlers use. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what
 * `z.toJSONSchema` writes.
 */
import { z } from 'zod';
import { API_ROUTES } from './route-docs.js';
import * as S from './schemas.js';

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
