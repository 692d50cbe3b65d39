import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/index.js';
import { createRetryingFetcher, fetchBytes, isRetryableFetchError } from '../../../src/repo/index.js';
import { FakeFetcher } from '../../kit/fake-fetcher.js';

const URL_P = 'https://fake.test/repo/x86_64/pkg-1.0-r0.apk';
const BYTES = Buffer.from('0123456789'.repeat(300));

function setup(retries = 3) {
  const fake = new FakeFetcher({ chunkSize: 256 });
  fake.put(URL_P, BYTES);
  const delays: number[] = [];
  const events: ProgressEvent[] = [];
  const fetcher = createRetryingFetcher(fake, {
    retries,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    onProgress: (e) => events.push(e),
  });
  return { fake, fetcher, delays, events };
}

describe('retrying fetcher', () => {
  it('retries 500 with exponential backoff and jitter, then succeeds', async () => {
    const { fake, fetcher, delays, events } = setup();
    fake.behave(URL_P, { kind: 'status', status: 500 }, 2);
    expect(await fetchBytes(fetcher, URL_P)).toEqual(BYTES);
    expect(fake.requestsFor(URL_P)).toHaveLength(3);
    // exp = 100, 200; jitter 0.5 → exp/2 + 0.5 * exp/2
    expect(delays).toEqual([75, 150]);
    expect(events.map((e) => (e.kind === 'warn' ? e.message : ''))).toEqual([
      `GET ${URL_P}: HTTP 500; retrying in 75 ms (attempt 2 of 4)`,
      `GET ${URL_P}: HTTP 500; retrying in 150 ms (attempt 3 of 4)`,
    ]);
  });

  it('caps the backoff and honours Retry-After up to the cap', async () => {
    const { fake, fetcher, delays } = setup(6);
    fake.behave(URL_P, { kind: 'status', status: 429, retryAfterSeconds: 0.4 }, 1);
    fake.behave(URL_P, { kind: 'status', status: 503, retryAfterSeconds: 60 }, 1);
    fake.behave(URL_P, { kind: 'status', status: 502 }, 3);
    await fetchBytes(fetcher, URL_P);
    // 429 waits its Retry-After (400 > 75); 503 asks for 60 s, capped at 1 s; then 300, 600, cap/2 + jitter.
    expect(delays).toEqual([400, 1000, 300, 600, 750]);
  });

  it('gives up after the last attempt, keeping code and URL', async () => {
    const { fake, fetcher } = setup(2);
    fake.behave(URL_P, { kind: 'status', status: 503 });
    await expect(fetchBytes(fetcher, URL_P)).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      subject: URL_P,
      message: `GET ${URL_P}: HTTP 503 (gave up after 3 attempts)`,
    });
    expect(fake.requestsFor(URL_P)).toHaveLength(3);
  });

  it.each([
    [404, 'FETCH_NOT_FOUND'],
    [410, 'FETCH_NOT_FOUND'],
    [401, 'FETCH_UNAUTHORIZED'],
    [403, 'FETCH_UNAUTHORIZED'],
    [400, 'FETCH_FAILED'],
  ])('does not retry HTTP %i (%s), naming the URL', async (status, code) => {
    const { fake, fetcher, delays } = setup();
    fake.behave(URL_P, { kind: 'status', status });
    await expect(fetchBytes(fetcher, URL_P)).rejects.toMatchObject({
      code,
      message: `GET ${URL_P}: HTTP ${status}`,
    });
    expect(delays).toEqual([]);
    expect(fake.requestsFor(URL_P)).toHaveLength(1);
  });

  it('resumes a cut stream by refetching and skipping what was delivered', async () => {
    const { fake, fetcher } = setup();
    fake.behave(URL_P, { kind: 'cut', afterBytes: 1000 }, 2);
    expect(await fetchBytes(fetcher, URL_P)).toEqual(BYTES);
    expect(fake.requestsFor(URL_P)).toHaveLength(3);
  });

  it('a stream cut on every attempt is FETCH_FAILED, never short data', async () => {
    const { fake, fetcher } = setup(2);
    fake.behave(URL_P, { kind: 'cut', afterBytes: 1000 });
    await expect(fetchBytes(fetcher, URL_P)).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      message: `GET ${URL_P}: connection lost after 1000 of 3000 bytes (fake cut) (gave up after 3 attempts)`,
    });
  });

  it('refuses to splice two versions of a resource', async () => {
    const { fake, fetcher } = setup();
    fake.behave(URL_P, { kind: 'cut', afterBytes: 1000 }, 1);
    const response = await fetcher.fetch(URL_P);
    if (response.status !== 'ok') throw new Error('expected ok');
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    fake.put(URL_P, Buffer.from('something else entirely'.repeat(200)));
    const drain = async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next());
    };
    await expect(drain()).rejects.toMatchObject({
      code: 'FETCH_FAILED',
      message: `GET ${URL_P}: cannot resume the download: ETag, Last-Modified or size differ from the first answer`,
    });
  });

  it('does not retry after the caller aborted', async () => {
    const { fake, fetcher } = setup();
    fake.behave(URL_P, { kind: 'status', status: 500 });
    const controller = new AbortController();
    controller.abort();
    await expect(fetcher.fetch(URL_P, { signal: controller.signal })).rejects.toMatchObject({
      code: 'FETCH_FAILED',
    });
    expect(fake.requestsFor(URL_P)).toHaveLength(1);
  });

  it('classifies retryable errors', () => {
    expect(isRetryableFetchError(new Error('x'))).toBe(false);
  });
});
