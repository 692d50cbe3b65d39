import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKeyring } from '../../src/apk/index.js';
import type { ProgressEvent } from '../../src/core/index.js';
import {
  type ClosableFetcher,
  createFetcher,
  createHttpFetcher,
  createRetryingFetcher,
  fetchBytes,
  fetchPackage,
  loadIndexes,
  loadKeyringSources,
} from '../../src/repo/index.js';
import { FAKE_LAST_MODIFIED, fakeEtag } from '../kit/fake-fetcher.js';
import { type FakeHttpServer, startFakeHttpServer } from '../kit/fake-http-server.js';
import { shared, tempDir } from '../kit/paths.js';

const REPO_DIR = shared('repo', 'melange-test');
const INDEX_PATH = '/x86_64/APKINDEX.tar.gz';
const PKG_PATH = '/x86_64/custom-ca-certs-1-1.0.0-r0.apk';

let server: FakeHttpServer;
let http: ClosableFetcher;
let indexBytes: Buffer;
let pkgBytes: Buffer;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  server = await startFakeHttpServer({ dir: REPO_DIR });
  http = createHttpFetcher({ timeoutMs: 1000, onProgress: (e) => events.push(e) });
  indexBytes = await readFile(join(REPO_DIR, INDEX_PATH));
  pkgBytes = await readFile(join(REPO_DIR, PKG_PATH));
});

afterAll(async () => {
  await http.close();
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
  events.length = 0;
});

function retrying(retries = 3) {
  return createRetryingFetcher(http, { retries, baseDelayMs: 20, maxDelayMs: 200 });
}

describe('http fetcher (undici) against a 127.0.0.1 server', () => {
  it('streams a file with its size, ETag and Last-Modified, over one keep-alive connection', async () => {
    const response = await http.fetch(server.url + PKG_PATH);
    expect(response).toMatchObject({ status: 'ok', size: pkgBytes.length, etag: fakeEtag(pkgBytes) });
    if (response.status !== 'ok') return;
    expect(response.lastModified).toBe(FAKE_LAST_MODIFIED);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(pkgBytes);
    for (let i = 0; i < 5; i++) await fetchBytes(http, server.url + INDEX_PATH);
    // Keep-alive: six sequential requests reuse pooled connections.
    const ports = new Set(server.requests.map((r) => r.remotePort));
    expect(ports.size).toBeLessThan(server.requests.length);
    expect(server.requests[0]!.headers['user-agent']).toBe('larder');
    expect(events.at(0)).toEqual({
      kind: 'start',
      task: `GET ${server.url}${PKG_PATH}`,
      total: pkgBytes.length,
    });
    expect(events.some((e) => e.kind === 'advance' && e.done === pkgBytes.length)).toBe(true);
  });

  it.each([
    [404, 'FETCH_NOT_FOUND'],
    [401, 'FETCH_UNAUTHORIZED'],
    [403, 'FETCH_UNAUTHORIZED'],
  ])('HTTP %i is %s naming the URL', async (status, code) => {
    const path = `/status-${status}`;
    server.put(path, 'x');
    server.behave(path, { kind: 'status', status });
    await expect(retrying().fetch(server.url + path)).rejects.toMatchObject({
      code,
      message: `GET ${server.url}${path}: HTTP ${status}`,
    });
    expect(server.requestsFor(path)).toHaveLength(1);
  });

  it('retries 500 with backoff, then succeeds', async () => {
    const path = '/flaky-500';
    server.put(path, indexBytes);
    server.behave(path, { kind: 'status', status: 500 }, 2);
    const started = Date.now();
    expect(await fetchBytes(retrying(), server.url + path)).toEqual(indexBytes);
    // Backoff 20 then 40 ms, each at least half of that with jitter.
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(server.requestsFor(path)).toHaveLength(3);
  });

  it('gives up on a persistent 503 with the status, URL and attempt count', async () => {
    const path = '/down';
    server.behave(path, { kind: 'status', status: 503 });
    await expect(fetchBytes(retrying(2), server.url + path)).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      message: `GET ${server.url}${path}: HTTP 503 (gave up after 3 attempts)`,
    });
  });

  it('retries a connection reset before the answer', async () => {
    const path = '/reset-once';
    server.put(path, indexBytes);
    server.behave(path, { kind: 'reset' }, 1);
    expect(await fetchBytes(retrying(), server.url + path)).toEqual(indexBytes);
    expect(server.requestsFor(path)).toHaveLength(2);
  });

  it('detects a cut stream: fewer bytes than Content-Length is FETCH_FAILED, never short data', async () => {
    const path = '/cut';
    server.put(path, pkgBytes);
    server.behave(path, { kind: 'cut', afterBytes: 1000 });
    const error = (await fetchBytes(http, server.url + path).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'FETCH_FAILED', subject: server.url + path });
    expect(error.message).toMatch(
      new RegExp(`^GET ${server.url}${path}: (connection lost after|response cut short)`),
    );
    expect(error.message).toContain(`of ${pkgBytes.length} bytes`);
  });

  it('resumes a cut stream with the retrying fetcher', async () => {
    const path = '/cut-once';
    server.put(path, pkgBytes);
    server.behave(path, { kind: 'cut', afterBytes: 3000 }, 1);
    expect(await fetchBytes(retrying(), server.url + path)).toEqual(pkgBytes);
    expect(server.requestsFor(path)).toHaveLength(2);
  });

  it('times out on a server that does not answer, and on a stalled body', async () => {
    // undici checks these timeouts on a ~1 s tick, so the server stalls well beyond that.
    const fast = createHttpFetcher({ timeoutMs: 150 });
    try {
      server.put('/slow', 'late');
      server.behave('/slow', { kind: 'slow', delayMs: 3000 });
      let started = Date.now();
      await expect(fetchBytes(fast, `${server.url}/slow`)).rejects.toThrow(/UND_ERR_HEADERS_TIMEOUT/);
      expect(Date.now() - started).toBeLessThan(2500);
      server.put('/stall', pkgBytes);
      server.behave('/stall', { kind: 'slow', afterBytes: 100, delayMs: 3000 });
      started = Date.now();
      await expect(fetchBytes(fast, `${server.url}/stall`)).rejects.toThrow(
        /connection lost after 100 of \d+ bytes: .*UND_ERR_BODY_TIMEOUT/,
      );
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await fast.close();
    }
  });

  it('follows redirects and sends URL credentials as Basic auth, hiding the password', async () => {
    server.behave('/moved', { kind: 'redirect', to: PKG_PATH });
    expect(await fetchBytes(http, `${server.url}/moved`)).toEqual(pkgBytes);
    const withAuth = server.url.replace('http://', 'http://user:s3cret@');
    server.behave('/private', { kind: 'status', status: 403 });
    const error = (await http.fetch(`${withAuth}/private`).catch((e: unknown) => e)) as Error;
    expect(server.requestsFor('/private')[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('user:s3cret').toString('base64')}`,
    );
    expect(error.message).toBe(`GET ${server.url.replace('http://', 'http://user:***@')}/private: HTTP 403`);
  });
});

describe('createFetcher: cache, revalidation, offline', () => {
  it('revalidates with If-None-Match (304 serves the cache), then works offline', async () => {
    const stateDir = await tempDir();
    const online = createFetcher({ stateDir, retries: 1 });
    const url = server.url + INDEX_PATH;
    try {
      expect(await fetchBytes(online, url)).toEqual(indexBytes);
      expect(await fetchBytes(online, url)).toEqual(indexBytes);
    } finally {
      await online.close();
    }
    const [first, second] = server.requestsFor(INDEX_PATH);
    expect(first!.headers['if-none-match']).toBeUndefined();
    expect(second!.headers['if-none-match']).toBe(fakeEtag(indexBytes));
    expect(second!.headers['if-modified-since']).toBe(FAKE_LAST_MODIFIED);

    const offline = createFetcher({ stateDir, offline: true });
    try {
      expect(await fetchBytes(offline, url)).toEqual(indexBytes);
      await expect(fetchBytes(offline, `${server.url}/aarch64/APKINDEX.tar.gz`)).rejects.toMatchObject({
        code: 'OFFLINE_MISS',
        subject: `${server.url}/aarch64/APKINDEX.tar.gz`,
      });
    } finally {
      await offline.close();
    }
    expect(server.requestsFor(INDEX_PATH)).toHaveLength(2);
  });

  it('loads a signed index, a URL keyring and verified packages over HTTP', async () => {
    const stateDir = await tempDir();
    const fetcher = createFetcher({ stateDir });
    try {
      server.put('/keys/melange.rsa.pub', await readFile(shared('keys', 'melange', 'melange.rsa.pub')));
      const keyring = await loadKeyringSources([`${server.url}/keys/melange.rsa.pub`], fetcher);
      const repository = { url: server.url };
      const [index] = await loadIndexes({ repositories: [repository], arch: 'x86_64', keyring, fetcher });
      expect(index!.records).toHaveLength(4);
      for (const record of index!.records) {
        const got = await fetchPackage({ repository, arch: 'x86_64', record, fetcher, stateDir });
        expect(got.package.checksum).toBe(record.checksum);
      }
      // The untrusted case over HTTP names the repository URL.
      const alpine = await loadKeyring([shared('keys', 'alpine')]);
      await expect(
        loadIndexes({ repositories: [repository], arch: 'x86_64', keyring: alpine, fetcher }),
      ).rejects.toThrow(`repository ${server.url}: untrusted index`);
    } finally {
      await fetcher.close();
    }
  });
});
