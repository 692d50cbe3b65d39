import { join } from 'node:path';
import { LarderError } from '../core/index.js';
import {
  type CacheEntryMeta,
  cacheEntryName,
  type OpenCacheEntry,
  openCacheEntry,
  streamCacheEntry,
  writeCacheEntry,
} from './cache-entry.js';
import { type Fetcher, type FetchOptions, type FetchResponse, redactUrl } from './fetcher.js';

export interface CachingFetcherOptions {
  /** Directory of entries, `<stateDir>/cache/http` in the CLI. */
  readonly dir: string;
  /** Serve only from the cache; a miss is OFFLINE_MISS naming the URL. */
  readonly offline?: boolean;
  /** Clock for `fetchedAt`; tests fix it. */
  readonly now?: () => Date;
}

/**
 * An on-disk HTTP cache in front of another fetcher. Every online fetch revalidates the
 * stored entry with If-None-Match / If-Modified-Since (apk checks indexes on every run too);
 * `not-modified` serves the stored body, `ok` replaces it atomically, and the answer is then
 * streamed from the cache file, so only complete bodies are ever served or kept. A caller's
 * own `etag`/`lastModified` are answered `not-modified` when they match the entry.
 */
export function createCachingFetcher(inner: Fetcher, options: CachingFetcherOptions): Fetcher {
  const now = options.now ?? (() => new Date());

  async function fetch(url: string, request: FetchOptions = {}): Promise<FetchResponse> {
    if (options.offline) {
      const entry = request.cache === 'no-store' ? undefined : await openCacheEntry(pathOf(url), url);
      if (entry === undefined) throw offlineMiss(url, options.dir);
      return serve(entry, request);
    }
    if (request.cache === 'no-store') return inner.fetch(url, request);
    const path = pathOf(url);
    const stored = await openCacheEntry(path, url);
    const known = stored?.meta;
    await stored?.handle.close();
    const conditions = known ?? { etag: request.etag, lastModified: request.lastModified };
    const response = await inner.fetch(url, {
      ...(request.signal ? { signal: request.signal } : {}),
      ...(conditions.etag !== undefined ? { etag: conditions.etag } : {}),
      ...(conditions.lastModified !== undefined ? { lastModified: conditions.lastModified } : {}),
    });
    switch (response.status) {
      case 'not-modified': {
        // Without a stored entry, the conditions were the caller's own: pass the answer on.
        if (known === undefined) return response;
        const entry = await openCacheEntry(path, url);
        if (entry !== undefined) return serve(entry, request);
        // Removed meanwhile (another process cleaning up): fetch it whole.
        const again = await inner.fetch(url, request.signal ? { signal: request.signal } : {});
        if (again.status !== 'ok')
          throw new LarderError('FETCH_FAILED', `GET ${redactUrl(url)}: 'not modified' to a plain request`);
        return serve(await store(url, path, again), request);
      }
      case 'ok':
        return serve(await store(url, path, response), request);
    }
  }

  async function store(
    url: string,
    path: string,
    response: Extract<FetchResponse, { status: 'ok' }>,
  ): Promise<OpenCacheEntry> {
    const meta: CacheEntryMeta = {
      url,
      fetchedAt: now().toISOString(),
      ...(response.etag !== undefined ? { etag: response.etag } : {}),
      ...(response.lastModified !== undefined ? { lastModified: response.lastModified } : {}),
    };
    await writeCacheEntry(path, meta, response.body);
    const entry = await openCacheEntry(path, url);
    if (entry === undefined)
      throw new LarderError('IO', `${path}: cache entry for ${redactUrl(url)} vanished after writing`, {
        subject: path,
      });
    return entry;
  }

  function pathOf(url: string): string {
    return join(options.dir, cacheEntryName(url));
  }

  return { fetch };
}

async function serve(entry: OpenCacheEntry, request: FetchOptions): Promise<FetchResponse> {
  const { etag, lastModified } = entry.meta;
  const unchanged =
    request.etag !== undefined
      ? request.etag === etag
      : request.lastModified !== undefined && request.lastModified === lastModified;
  if (unchanged) {
    await entry.handle.close();
    return { status: 'not-modified' };
  }
  return {
    status: 'ok',
    body: streamCacheEntry(entry),
    size: entry.size,
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
  };
}

function offlineMiss(url: string, dir: string): LarderError {
  const shown = redactUrl(url);
  return new LarderError('OFFLINE_MISS', `offline: ${shown} is not in the cache (${dir})`, {
    subject: shown,
  });
}
