import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCachingFetcher, fetchBytes, readBody } from '../../../src/repo/index.js';
import { FAKE_LAST_MODIFIED, FakeFetcher, fakeEtag } from '../../kit/fake-fetcher.js';
import { tempDir } from '../../kit/paths.js';

const URL_A = 'https://fake.test/repo/x86_64/APKINDEX.tar.gz';

async function setup(options: { offline?: boolean; dir?: string } = {}) {
  const fake = new FakeFetcher();
  fake.put(URL_A, 'index v1');
  const dir = options.dir ?? (await tempDir());
  const now = () => new Date('2025-02-03T04:05:06Z');
  const cache = createCachingFetcher(fake, { dir, now, ...(options.offline ? { offline: true } : {}) });
  return { fake, dir, cache };
}

describe('caching fetcher', () => {
  it('stores the first answer and revalidates with If-None-Match on the next fetch', async () => {
    const { fake, dir, cache } = await setup();
    expect((await fetchBytes(cache, URL_A)).toString()).toBe('index v1');
    expect((await fetchBytes(cache, URL_A)).toString()).toBe('index v1');
    const requests = fake.requestsFor(URL_A);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toEqual({ url: URL_A });
    expect(requests[1]).toEqual({
      url: URL_A,
      etag: fakeEtag(Buffer.from('index v1')),
      lastModified: FAKE_LAST_MODIFIED,
    });
    // One file per URL: a metadata line, then the body.
    const [entry, ...others] = await readdir(dir);
    expect(others).toEqual([]);
    const stored = await readFile(join(dir, entry!), 'utf8');
    const [meta, body] = stored.split('\n');
    expect(JSON.parse(meta!)).toEqual({
      url: URL_A,
      fetchedAt: '2025-02-03T04:05:06.000Z',
      etag: fakeEtag(Buffer.from('index v1')),
      lastModified: FAKE_LAST_MODIFIED,
    });
    expect(body).toBe('index v1');
  });

  it('replaces the entry when the content changed', async () => {
    const { fake, cache } = await setup();
    await fetchBytes(cache, URL_A);
    fake.put(URL_A, 'index v2');
    const response = await cache.fetch(URL_A);
    expect(response.status).toBe('ok');
    if (response.status !== 'ok') return;
    expect(response.etag).toBe(fakeEtag(Buffer.from('index v2')));
    expect((await readBody(response.body)).toString()).toBe('index v2');
  });

  it("answers a caller's own matching ETag with not-modified", async () => {
    const { cache } = await setup();
    const first = await cache.fetch(URL_A);
    if (first.status !== 'ok') throw new Error('expected ok');
    await readBody(first.body);
    expect(await cache.fetch(URL_A, { etag: first.etag! })).toEqual({ status: 'not-modified' });
    expect((await cache.fetch(URL_A, { etag: '"other"' })).status).toBe('ok');
  });

  it('offline: serves the cache without any request', async () => {
    const online = await setup();
    await fetchBytes(online.cache, URL_A);
    const offline = await setup({ offline: true, dir: online.dir });
    expect((await fetchBytes(offline.cache, URL_A)).toString()).toBe('index v1');
    expect(offline.fake.requests).toEqual([]);
  });

  it('offline: a miss is OFFLINE_MISS naming the URL, also for no-store fetches', async () => {
    const { fake, cache, dir } = await setup({ offline: true });
    await expect(cache.fetch(URL_A)).rejects.toMatchObject({
      code: 'OFFLINE_MISS',
      subject: URL_A,
      message: `offline: ${URL_A} is not in the cache (${dir})`,
    });
    await expect(cache.fetch(URL_A, { cache: 'no-store' })).rejects.toMatchObject({ code: 'OFFLINE_MISS' });
    expect(fake.requests).toEqual([]);
  });

  it('no-store passes through without reading or writing the cache', async () => {
    const { fake, cache, dir } = await setup();
    expect((await fetchBytes(cache, URL_A, { cache: 'no-store' })).toString()).toBe('index v1');
    expect(await readdir(dir).catch(() => [])).toEqual([]);
    expect(fake.requests).toEqual([{ url: URL_A, cache: 'no-store' }]);
  });

  it('keeps the old entry when a refresh is cut short, and never serves short data', async () => {
    const { fake, cache } = await setup();
    await fetchBytes(cache, URL_A);
    fake.put(URL_A, 'index v2 is longer');
    fake.behave(URL_A, { kind: 'cut', afterBytes: 5 }, 1);
    await expect(fetchBytes(cache, URL_A)).rejects.toMatchObject({ code: 'FETCH_FAILED' });
    fake.put(URL_A, 'index v1');
    expect((await fetchBytes(cache, URL_A)).toString()).toBe('index v1');
    expect(fake.requestsFor(URL_A).at(-1)?.etag).toBe(fakeEtag(Buffer.from('index v1')));
  });

  it('passes errors through with the URL', async () => {
    const { fake, cache } = await setup();
    fake.behave(URL_A, { kind: 'status', status: 401 });
    await expect(cache.fetch(URL_A)).rejects.toMatchObject({
      code: 'FETCH_UNAUTHORIZED',
      message: `GET ${URL_A}: HTTP 401`,
    });
  });
});
