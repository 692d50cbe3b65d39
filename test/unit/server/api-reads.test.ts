import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as S from '../../../src/server/api/schemas.js';
import { BUILD_KEY, COMPOSE_KEY, type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

async function getJson<T extends z.ZodType>(path: string, schema: T, status = 200): Promise<z.output<T>> {
  const res = await (f as Fixture).app.request(path);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return schema.parse(body);
}

describe('the API reads', () => {
  it('lists and shows packages and builds', async () => {
    f = await fixture();
    expect((await getJson('/api/packages', S.PackageList)).packages.map((p) => p.name)).toEqual(['hello']);
    const hello = await getJson('/api/packages/hello', S.PackageVersions);
    expect(hello.versions[0]).toMatchObject({ version: '1.0-r0', buildKey: BUILD_KEY });
    expect((await getJson('/api/packages/nope', S.ErrorBody, 404)).error.message).toBe(
      'package nope: not found',
    );
    expect((await getJson('/api/builds', S.BuildList)).builds.map((b) => b.recipe)).toEqual([
      'other',
      'hello',
    ]);
    expect((await getJson('/api/builds?status=failed', S.BuildList)).builds.map((b) => b.error)).toEqual([
      'step 2 failed',
    ]);
    expect((await getJson('/api/builds?recipe=hello&limit=1', S.BuildList)).builds).toHaveLength(1);
    expect((await getJson(`/api/builds/${encodeURIComponent(BUILD_KEY)}`, S.Build)).finishedAt).toBe(
      '2026-01-01T00:02:00.000Z',
    );
    await getJson(`/api/builds/${encodeURIComponent('build:hello@9-r0/x86_64#0')}`, S.ErrorBody, 404);
  });

  it('refuses bad query parameters, naming them', async () => {
    f = await fixture();
    const bad = async (path: string, field: string, text: string) => {
      const body = await getJson(path, S.ErrorBody, 400);
      expect(body.error.field).toBe(field);
      expect(body.error.message).toContain(text);
    };
    await bad('/api/builds?status=done', 'query.status', 'query.status:');
    await bad('/api/builds?limit=0', 'query.limit', 'whole number');
    await bad('/api/builds?limit=abc', 'query.limit', 'whole number');
    await bad('/api/builds?color=red', 'query', 'unknown "color"');
    await bad('/api/jobs?kind=a&kind=b', 'query.kind', 'more than once');
    await bad('/api/events?after=-1', 'query.after', 'whole number');
    await bad('/api/events?after=1&before=3', 'query.after', 'one direction');
    await bad('/api/packages?x=1', 'query', 'unknown');
  });

  it('lists jobs and shows one by its encoded key', async () => {
    f = await fixture();
    const jobs = (await getJson('/api/jobs', S.JobList)).jobs;
    expect(jobs.map((j) => j.key)).toEqual([BUILD_KEY, COMPOSE_KEY]);
    expect((await getJson('/api/jobs?kind=compose', S.JobList)).jobs.map((j) => j.after)).toEqual([
      [BUILD_KEY],
    ]);
    expect((await getJson('/api/jobs?status=running', S.JobList)).jobs).toEqual([]);
    expect((await getJson(`/api/jobs/${encodeURIComponent(COMPOSE_KEY)}`, S.Job)).status).toBe('pending');
    await getJson('/api/jobs/build%3Anothing', S.ErrorBody, 404);
  });

  it('shows images with versions, digests, findings and history', async () => {
    f = await fixture();
    const list = (await getJson('/api/images', S.ImageList)).images;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: 'greet',
      openFindings: 1,
      latest: { indexDigest: 'sha256:i2', signed: true },
    });
    expect(list[0]?.latest).not.toHaveProperty('lock');
    const greet = await getJson('/api/images/greet', S.ImageDetail);
    expect(greet.history.map((v) => v.indexDigest)).toEqual(['sha256:i2', 'sha256:i1']);
    expect(greet.latest?.digests).toEqual({ x86_64: 'sha256:m1' });
    expect(greet.findings.map((x) => [x.vulnId, x.state])).toEqual(
      expect.arrayContaining([
        ['CVE-2026-0001', 'fixed'],
        ['CVE-2026-0002', 'open'],
      ]),
    );
    expect(greet.openFindings).toBe(1);
    await getJson('/api/images/nope', S.ErrorBody, 404);
  });

  it('lists open findings, advisories, status and events', async () => {
    f = await fixture();
    expect((await getJson('/api/vulnerabilities', S.FindingList)).findings.map((x) => x.vulnId)).toEqual([
      'CVE-2026-0002',
    ]);
    expect((await getJson('/api/advisories', S.AdvisoryList)).advisories[0]).toMatchObject({
      id: 'CGA-xxxx-yyyy-zzzz',
      state: 'fixed',
    });
    const status = await getJson('/api/status', S.Status);
    expect(status).toMatchObject({
      exposed: ['greet'],
      feedVersion: 'feed-1',
      queue: { pending: 2, running: 0 },
    });
    const newest = (await getJson('/api/events', S.EventList)).events;
    expect(newest.map((e) => e.message)).toEqual(['event 3', 'event 2', 'event 1']);
    const first = newest[2]?.id as number;
    expect((await getJson(`/api/events?after=${first}`, S.EventList)).events.map((e) => e.message)).toEqual([
      'event 2',
      'event 3',
    ]);
    expect(
      (await getJson(`/api/events?after=${first}&limit=1`, S.EventList)).events.map((e) => e.message),
    ).toEqual(['event 2']);
    expect(
      (await getJson(`/api/events?before=${first + 2}&limit=5`, S.EventList)).events.map((e) => e.message),
    ).toEqual(['event 2', 'event 1']);
  });

  it('answers unknown API paths and methods with JSON 404s', async () => {
    f = await fixture();
    expect((await getJson('/api/nothing', S.ErrorBody, 404)).error.code).toBe('NOT_FOUND');
    expect((await getJson('/no/such/thing/here', S.ErrorBody, 404)).error.code).toBe('NOT_FOUND');
    const index = await f.app.request('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('/api/openapi.json');
  });
});
