import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../../src/server/index.js';
import { type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

type Doc = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown> };
};

/** Every JSON Schema the document holds, with where it is. */
function schemasOf(doc: Doc): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method} ${path}`;
      for (const p of (op.parameters ?? []) as { name: string; schema: unknown }[])
        out.push([`${where} ${p.name}`, p.schema]);
      const body = op.requestBody as { content: Record<string, { schema: unknown }> } | undefined;
      for (const [type, c] of Object.entries(body?.content ?? {}))
        out.push([`${where} body ${type}`, c.schema]);
      for (const [status, r] of Object.entries(
        op.responses as Record<string, { content?: Record<string, { schema: unknown }> }>,
      ))
        for (const [type, c] of Object.entries(r.content ?? {}))
          out.push([`${where} ${status} ${type}`, c.schema]);
    }
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document whose schemas compile as JSON Schema 2020-12', async () => {
    f = await fixture();
    const res = await f.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/api\//);
      for (const [method, op] of Object.entries(ops)) {
        expect(['get', 'post', 'put']).toContain(method);
        expect(typeof op.summary).toBe('string');
        expect(ids.has(op.operationId as string), op.operationId as string).toBe(false);
        ids.add(op.operationId as string);
        const params = (op.parameters ?? []) as { name: string; in: string }[];
        for (const m of path.matchAll(/\{(\w+)\}/g))
          expect(params.some((p) => p.in === 'path' && p.name === m[1])).toBe(true);
        expect(Object.keys(op.responses as object)).toEqual(expect.arrayContaining(['400', '401']));
      }
    }
    const schemas = schemasOf(doc);
    expect(schemas.length).toBeGreaterThan(40);
    for (const [where, schema] of schemas) {
      const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));
      expect(() => ajv.compile(resolved), where).not.toThrow();
    }
    // The advisory body schema rejects what the handler rejects.
    const post = doc.paths['/api/advisories']?.post as {
      requestBody: { content: Record<string, { schema: object }> };
    };
    const validate = ajv.compile(post.requestBody.content['application/json']?.schema as object);
    expect(
      validate({ package: 'hello', vulnerability: 'CVE-2026-1', type: 'fixed', fixedVersion: '1.0-r1' }),
    ).toBe(true);
    expect(validate({ package: 'hello', vulnerability: 'CVE-2026-1', type: 'maybe' })).toBe(false);
    expect(validate({ package: 'hello', vulnerability: 'CVE-2026-1', type: 'fixed', extra: 1 })).toBe(false);
  });

  it('documents exactly the routes the app serves under /api', async () => {
    f = await fixture();
    const served = new Set(
      f.app.routes
        .filter((r) => r.path.startsWith('/api/') && r.path !== '/api/*' && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(API_ROUTES.map((r) => `${r.method} ${r.path}`));
    expect([...served].sort()).toEqual([...documented].sort());
  });
});
