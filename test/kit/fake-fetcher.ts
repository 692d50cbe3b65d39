import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LarderError } from '../../src/core/index.js';
import {
  type Fetcher,
  type FetchOptions,
  type FetchResponse,
  httpStatusError,
} from '../../src/repo/index.js';

/** A failure mode for one URL (fake fetcher) or path (fake HTTP server). */
export type FakeBehaviour =
  /** Answer this HTTP status (404, 401, 500, 503, ...) instead of the content. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  /** Announce the full size, send `afterBytes` bytes, then break the connection. */
  | { readonly kind: 'cut'; readonly afterBytes: number }
  /** Wait `delayMs` before answering, or after sending `afterBytes` bytes of the body. */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly afterBytes?: number }
  /** (HTTP server only) Redirect with 302 to another path. */
  | { readonly kind: 'redirect'; readonly to: string }
  /** (HTTP server only) Destroy the socket before any answer. */
  | { readonly kind: 'reset' };

/** A behaviour applies `times` times (default: always), then the content is served normally. */
export interface FakeRule {
  readonly behaviour: FakeBehaviour;
  remaining: number;
}

/** Fixed Last-Modified of served content, so tests can send If-Modified-Since. */
export const FAKE_LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

/**
 * The content both fakes serve: a directory read in place (fixtures are never copied) and
 * overrides by key, with per-key behaviours. Keys are URLs (fake fetcher) or paths (server).
 */
export class FakeContent {
  private readonly files = new Map<string, Uint8Array>();
  private readonly rules = new Map<string, FakeRule[]>();

  constructor(private readonly dir?: string) {}

  /** Serves these bytes under `key`, replacing what the directory holds. */
  put(key: string, bytes: Uint8Array | string): void {
    this.files.set(key, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  }

  /** Adds a behaviour for `key`, used `times` times (default: every time). */
  behave(key: string, behaviour: FakeBehaviour, times = Number.POSITIVE_INFINITY): void {
    const list = this.rules.get(key) ?? [];
    list.push({ behaviour, remaining: times });
    this.rules.set(key, list);
  }

  /** The next behaviour for `key`, consuming one use of it. */
  take(key: string): FakeBehaviour | undefined {
    const rule = this.rules.get(key)?.find((r) => r.remaining > 0);
    if (rule === undefined) return undefined;
    rule.remaining--;
    return rule.behaviour;
  }

  /** Bytes under `key`; `relative` is its path inside the directory. Undefined when absent. */
  async read(key: string, relative: string | undefined): Promise<Uint8Array | undefined> {
    const put = this.files.get(key);
    if (put !== undefined) return put;
    if (this.dir === undefined || relative === undefined) return undefined;
    const clean = normalize(relative);
    if (clean.startsWith('..') || clean.startsWith(sep)) return undefined;
    return readFile(join(this.dir, clean)).catch(() => undefined);
  }
}

/** A strong ETag of some bytes. */
export function fakeEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`;
}

export interface FakeRequest {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly cache?: FetchOptions['cache'];
}

/**
 * An in-memory Fetcher for unit tests: serves `dir` under `baseUrl` plus `put` overrides,
 * answers conditionals with ETag / Last-Modified, fails as told by `behave`, and records
 * every request in `requests`. Errors are the ones the real http fetcher throws.
 */
export class FakeFetcher implements Fetcher {
  readonly requests: FakeRequest[] = [];
  readonly content: FakeContent;
  readonly baseUrl: string;
  private readonly chunkSize: number;

  constructor(options: { dir?: string; baseUrl?: string; chunkSize?: number } = {}) {
    this.content = new FakeContent(options.dir);
    this.baseUrl = options.baseUrl ?? 'https://fake.test/repo';
    this.chunkSize = options.chunkSize ?? 1024;
  }

  put(url: string, bytes: Uint8Array | string): void {
    this.content.put(url, bytes);
  }

  behave(url: string, behaviour: FakeBehaviour, times?: number): void {
    this.content.behave(url, behaviour, times);
  }

  /** Requests made for one URL. */
  requestsFor(url: string): FakeRequest[] {
    return this.requests.filter((r) => r.url === url);
  }

  async fetch(url: string, options: FetchOptions = {}): Promise<FetchResponse> {
    this.requests.push({
      url,
      ...(options.etag !== undefined ? { etag: options.etag } : {}),
      ...(options.lastModified !== undefined ? { lastModified: options.lastModified } : {}),
      ...(options.cache !== undefined ? { cache: options.cache } : {}),
    });
    const behaviour = this.content.take(url);
    if (behaviour?.kind === 'slow' && behaviour.afterBytes === undefined)
      await delay(behaviour.delayMs, undefined, options.signal ? { signal: options.signal } : {});
    if (behaviour?.kind === 'status')
      throw httpStatusError(
        url,
        behaviour.status,
        behaviour.retryAfterSeconds === undefined ? undefined : behaviour.retryAfterSeconds * 1000,
      );
    if (behaviour?.kind === 'redirect' || behaviour?.kind === 'reset')
      throw new Error(`fake fetcher: behaviour '${behaviour.kind}' is for the HTTP server`);
    const prefix = `${this.baseUrl}/`;
    const bytes = await this.content.read(url, url.startsWith(prefix) ? url.slice(prefix.length) : undefined);
    if (bytes === undefined) throw httpStatusError(url, 404);
    const etag = fakeEtag(bytes);
    const unchanged =
      options.etag !== undefined ? options.etag === etag : options.lastModified === FAKE_LAST_MODIFIED;
    if (unchanged) return { status: 'not-modified' };
    return {
      status: 'ok',
      body: this.stream(url, bytes, behaviour, options.signal),
      size: bytes.length,
      etag,
      lastModified: FAKE_LAST_MODIFIED,
    };
  }

  private async *stream(
    url: string,
    bytes: Uint8Array,
    behaviour: FakeBehaviour | undefined,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<Uint8Array> {
    const stopAt = behaviour?.kind === 'cut' ? behaviour.afterBytes : bytes.length;
    const pauseAt = behaviour?.kind === 'slow' ? behaviour.afterBytes : undefined;
    let paused = false;
    for (let at = 0; at < stopAt; ) {
      if (!paused && pauseAt !== undefined && at >= pauseAt && behaviour?.kind === 'slow') {
        paused = true;
        await delay(behaviour.delayMs, undefined, signal ? { signal } : {});
      }
      const end = Math.min(
        stopAt,
        at + this.chunkSize,
        pauseAt !== undefined && at < pauseAt ? pauseAt : Infinity,
      );
      yield bytes.subarray(at, end);
      at = end;
    }
    if (stopAt < bytes.length)
      throw new LarderError(
        'FETCH_FAILED',
        `GET ${url}: connection lost after ${stopAt} of ${bytes.length} bytes (fake cut)`,
        {
          subject: url,
        },
      );
  }
}
