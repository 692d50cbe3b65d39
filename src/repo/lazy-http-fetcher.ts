import type { ClosableFetcher } from './fetcher.js';
import type { HttpFetcherOptions } from './http-fetcher.js';

/**
 * The http(s) fetcher, loading undici on first use: undici takes ~170 ms to import here,
 * which commands that only read local repositories should not pay at start-up.
 * See `createUndiciFetcher` for the behaviour.
 */
export function createHttpFetcher(options: HttpFetcherOptions = {}): ClosableFetcher {
  let inner: Promise<ClosableFetcher> | undefined;
  const load = (): Promise<ClosableFetcher> => {
    inner ??= import('./http-fetcher.js').then((m) => m.createUndiciFetcher(options));
    return inner;
  };
  return {
    fetch: async (url, fetchOptions) => (await load()).fetch(url, fetchOptions),
    close: async () => {
      if (inner !== undefined) await (await inner).close();
    },
  };
}
