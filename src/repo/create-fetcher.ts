import { join } from 'node:path';
import type { ProgressListener } from '../core/index.js';
import { createCachingFetcher } from './caching-fetcher.js';
import type { ClosableFetcher, Fetcher } from './fetcher.js';
import { createFileFetcher } from './file-fetcher.js';
import { createHttpFetcher } from './lazy-http-fetcher.js';
import { locate } from './location.js';
import { createRetryingFetcher } from './retrying-fetcher.js';

export interface CreateFetcherOptions {
  /** `--state-dir`: the HTTP cache lives in `<stateDir>/cache/http`. */
  readonly stateDir: string;
  /** `--offline`: http(s) answers come only from the cache; local files are read as usual. */
  readonly offline?: boolean;
  /** Attempts after the first on transient failures; 3 by default. */
  readonly retries?: number;
  /** Idle timeout of one HTTP attempt; 30 s by default. */
  readonly timeoutMs?: number;
  readonly onProgress?: ProgressListener;
  readonly userAgent?: string;
}

/**
 * The fetcher the CLI uses: local paths and `file://` URLs read directly; `http(s)://` through
 * cache → retry → undici. Close it to release keep-alive connections.
 */
export function createFetcher(options: CreateFetcherOptions): ClosableFetcher {
  const http = createHttpFetcher({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
  });
  const retrying = createRetryingFetcher(http, {
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const remote = createCachingFetcher(retrying, {
    dir: join(options.stateDir, 'cache', 'http'),
    ...(options.offline !== undefined ? { offline: options.offline } : {}),
  });
  return { ...createRoutingFetcher({ local: createFileFetcher(), remote }), close: () => http.close() };
}

/** Sends local paths and `file://` URLs to `local`, `http(s)://` to `remote`. */
export function createRoutingFetcher(routes: { local: Fetcher; remote: Fetcher }): Fetcher {
  return {
    async fetch(url, options) {
      const location = locate(url);
      switch (location.kind) {
        case 'local':
          return routes.local.fetch(url, options);
        case 'http':
          return routes.remote.fetch(url, options);
      }
    },
  };
}
