import { setTimeout as delay } from 'node:timers/promises';
import { IGNORE_PROGRESS, LarderError, type ProgressListener } from '../core/index.js';
import {
  type Fetcher,
  type FetchOptions,
  type FetchResponse,
  type HttpStatusCause,
  isRetryableFetchError,
  redactUrl,
} from './fetcher.js';

export interface RetryOptions {
  /** Attempts after the first; 3 by default. */
  readonly retries?: number;
  /** First backoff; doubled per attempt. 250 ms by default. */
  readonly baseDelayMs?: number;
  /** Cap on one backoff, also on an honoured `Retry-After`. 8 s by default. */
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1); `Math.random` by default (tests pass a fixed one). */
  readonly random?: () => number;
  /** Waits; node's timer by default (tests record the delays instead). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Receives a `warn` event before each retry. */
  readonly onProgress?: ProgressListener;
}

/**
 * Retries what `isRetryableFetchError` calls transient (5xx, 408, 429, resets, cut streams)
 * with exponential backoff and jitter, honouring `Retry-After` up to the cap. A body cut
 * mid-stream is resumed by fetching again and skipping the bytes already delivered, as long
 * as the ETag, Last-Modified and size are unchanged; one attempt budget covers both.
 */
export function createRetryingFetcher(inner: Fetcher, options: RetryOptions = {}): Fetcher {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 8000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  const attempts = retries + 1;

  /** Waits before the next attempt after `made` attempts, or throws the final error. */
  async function backoff(url: string, err: unknown, made: number, signal: AbortSignal | undefined) {
    if (signal?.aborted || !isRetryableFetchError(err) || made >= attempts) throw gaveUp(err, made);
    const exp = Math.min(cap, base * 2 ** (made - 1));
    let ms = Math.round(exp / 2 + (random() * exp) / 2);
    const after = (err.cause as Partial<HttpStatusCause> | undefined)?.retryAfterMs;
    if (after !== undefined) ms = Math.max(ms, Math.min(after, cap));
    const message = `${err.message}; retrying in ${ms} ms (attempt ${made + 1} of ${attempts})`;
    progress({ kind: 'warn', message, subject: redactUrl(url) });
    await sleep(ms, signal);
  }

  async function* resuming(
    url: string,
    first: Extract<FetchResponse, { status: 'ok' }>,
    options: FetchOptions,
    made: number,
  ): AsyncGenerator<Uint8Array> {
    let body = first.body;
    let delivered = 0;
    for (;;) {
      let skip = delivered;
      try {
        for await (const chunk of body) {
          if (skip >= chunk.length) {
            skip -= chunk.length;
            continue;
          }
          const fresh = skip > 0 ? chunk.subarray(skip) : chunk;
          skip = 0;
          delivered += fresh.length;
          yield fresh;
        }
        if (skip > 0) throw changed(url, `now shorter than the ${delivered} bytes already received`);
        return;
      } catch (err) {
        await backoff(url, err, made, options.signal);
      }
      const again = await fetchWithRetries(url, withoutConditions(options), made);
      if (again.response.status !== 'ok') throw changed(url, 'answered not-modified to a plain request');
      made = again.made;
      const sameVersion =
        again.response.etag === first.etag &&
        again.response.lastModified === first.lastModified &&
        again.response.size === first.size;
      if (!sameVersion) throw changed(url, 'ETag, Last-Modified or size differ from the first answer');
      body = again.response.body;
    }
  }

  async function fetchWithRetries(
    url: string,
    options: FetchOptions,
    made: number,
  ): Promise<{ response: FetchResponse; made: number }> {
    for (;;) {
      try {
        return { response: await inner.fetch(url, options), made: made + 1 };
      } catch (err) {
        made++;
        await backoff(url, err, made, options.signal);
      }
    }
  }

  return {
    async fetch(url, fetchOptions = {}) {
      const { response, made } = await fetchWithRetries(url, fetchOptions, 0);
      if (response.status !== 'ok') return response;
      return { ...response, body: resuming(url, response, fetchOptions, made) };
    },
  };
}

function withoutConditions(options: FetchOptions): FetchOptions {
  const { etag: _etag, lastModified: _lastModified, ...rest } = options;
  return rest;
}

function gaveUp(err: unknown, made: number): unknown {
  if (!(err instanceof LarderError) || made <= 1) return err;
  return new LarderError(err.code, `${err.message} (gave up after ${made} attempts)`, {
    cause: err.cause,
    ...(err.subject !== undefined ? { subject: err.subject } : {}),
  });
}

function changed(url: string, why: string): LarderError {
  const shown = redactUrl(url);
  return new LarderError('FETCH_FAILED', `GET ${shown}: cannot resume the download: ${why}`, {
    subject: shown,
  });
}
