import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

describe('repository serving', () => {
  it('serves the index, packages and the public key with validators', async () => {
    f = await fixture();
    const index = await f.app.request('/main/x86_64/APKINDEX.tar.gz');
    expect(index.status).toBe(200);
    expect(await index.text()).toBe('index bytes');
    expect(index.headers.get('content-type')).toBe('application/gzip');
    const etag = index.headers.get('etag') as string;
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const lastModified = index.headers.get('last-modified') as string;
    expect(Date.parse(lastModified)).toBeGreaterThan(0);
    expect(
      (await f.app.request('/main/x86_64/APKINDEX.tar.gz', { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    expect(
      (await f.app.request('/main/x86_64/APKINDEX.tar.gz', { headers: { 'if-none-match': 'W/"0-0"' } }))
        .status,
    ).toBe(200);
    expect(
      (
        await f.app.request('/main/x86_64/APKINDEX.tar.gz', {
          headers: { 'if-modified-since': lastModified },
        })
      ).status,
    ).toBe(304);
    // A changed file gets a new validator.
    await utimes(join(f.root, 'repo/x86_64/APKINDEX.tar.gz'), new Date(), new Date(Date.now() + 5000));
    const changed = await f.app.request('/main/x86_64/APKINDEX.tar.gz', {
      headers: { 'if-none-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);

    const apk = await f.app.request('/main/x86_64/hello-1.0-r0.apk');
    expect(apk.status).toBe(200);
    expect(await apk.text()).toBe('package bytes');
    const head = await f.app.request('/main/x86_64/hello-1.0-r0.apk', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(apk.headers.get('etag'));
    expect(await head.text()).toBe('');
    const key = await f.app.request('/main/keys/larder.rsa.pub');
    expect(key.status).toBe(200);
    expect(await key.text()).toContain('BEGIN PUBLIC KEY');
  });

  it('serves nothing outside the repository directory or under other names', async () => {
    f = await fixture();
    for (const path of [
      '/main/x86_64/missing-1.0-r0.apk',
      '/main/aarch64/APKINDEX.tar.gz',
      '/other/x86_64/APKINDEX.tar.gz',
      '/main/x86_64/..%2F..%2Fsecret.apk',
      '/main/x86_64/%2E%2E%2Fsecret.apk',
      '/main/..%2Fsecret.apk/x',
      '/main/x86_64/.hidden.apk',
      '/main/x86_64/notes.txt',
      '/main/keys/larder.rsa',
      '/main/keys/..%2Fkeys%2Flarder.rsa.pub',
      '/main/x86_64/..',
    ]) {
      const res = await f.app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('outside');
    }
  });

  it('serves security.json from the service', async () => {
    f = await fixture();
    const res = await f.app.request('/security.json');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ packages: [] });
  });
});

describe('beside the dashboard', () => {
  it('serves the dashboard at / and still the repository, API and metrics', async () => {
    f = await fixture({ app: { dashboard: { publicReads: true } } });
    const page = await f.app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).not.toContain('API (OpenAPI 3.1)');
    expect((await f.app.request('/main/x86_64/APKINDEX.tar.gz')).status).toBe(200);
    expect((await f.app.request('/api/status')).status).toBe(200);
    expect((await f.app.request('/metrics')).status).toBe(200);
    expect((await f.app.request('/api/reconcile', { method: 'POST' })).status).toBe(401);
  });
});
