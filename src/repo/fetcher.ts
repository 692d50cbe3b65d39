import { LarderError, type LarderErrorCode } from '../core/index.js';

/** What a caller may ask of one fetch. */
export interface FetchOptions {
  /** Revalidate: answer `not-modified` when the resource still has this ETag. */
  readonly etag?: string;
  /** Revalidate: answer `not-modified` when the resource is unchanged since this HTTP date. */
  readonly lastModified?: string;
  readonly signal?: AbortSignal;
  /**
   * `no-store`: neither read nor write a cache (the caller keeps its own, as the package cache
   * does). Offline, a `no-store` fetch still fails with OFFLINE_MISS.
   */
  readonly cache?: 'default' | 'no-store';
}

/**
 * The answer to a fetch. `body` streams once and throws FETCH_FAILED when cut short; consume it
 * (or break out of the loop) to release the file or connection behind it.
 */
export type FetchResponse =
  | {
      readonly status: 'ok';
      readonly body: AsyncIterable<Uint8Array>;
      /** Length in bytes when announced (HTTP Content-Length, file size). */
      readonly size?: number;
      readonly etag?: string;
      readonly lastModified?: string;
    }
  | { readonly status: 'not-modified' };

/**
 * The seam between larder and the places bytes come from (docs/architecture.md): files,
 * http(s), a cache. Behaviour is composed by wrapping one fetcher in another (cache → retry →
 * http), as Go wraps an `http.RoundTripper`. Failures are LarderErrors: FETCH_NOT_FOUND,
 * FETCH_UNAUTHORIZED, FETCH_FAILED, OFFLINE_MISS, each naming the URL.
 */
export interface Fetcher {
  fetch(url: string, options?: FetchOptions): Promise<FetchResponse>;
}

/** A fetcher holding resources (keep-alive connections) that `close` releases. */
export interface ClosableFetcher extends Fetcher {
  close(): Promise<void>;
}

/**
 * Kept as the `cause` of a fetch error that came from an HTTP status, so wrappers can tell
 * a retryable failure (5xx, 408, 429) from a final one without parsing messages.
 */
export interface HttpStatusCause {
  readonly kind: 'http-status';
  readonly status: number;
  /** From a `Retry-After` header, in milliseconds. */
  readonly retryAfterMs?: number;
}

/** The LarderError for an HTTP error status, naming the URL (shared by real and fake fetchers). */
export function httpStatusError(url: string, status: number, retryAfterMs?: number): LarderError {
  const cause: HttpStatusCause = {
    kind: 'http-status',
    status,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
  const code: LarderErrorCode =
    status === 404 || status === 410
      ? 'FETCH_NOT_FOUND'
      : status === 401 || status === 403
        ? 'FETCH_UNAUTHORIZED'
        : 'FETCH_FAILED';
  const shown = redactUrl(url);
  return new LarderError(code, `GET ${shown}: HTTP ${status}`, { cause, subject: shown });
}

/** True for failures worth another attempt: transport errors, cut streams, 5xx, 408, 429. */
export function isRetryableFetchError(err: unknown): err is LarderError {
  if (!(err instanceof LarderError) || err.code !== 'FETCH_FAILED') return false;
  const cause = err.cause as Partial<HttpStatusCause> | undefined;
  if (cause?.kind !== 'http-status' || cause.status === undefined) return true;
  return cause.status >= 500 || cause.status === 408 || cause.status === 429;
}

/** The URL with any password replaced, for messages. */
export function redactUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Reads a whole body into memory (indexes, keys: small things). */
export async function readBody(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Fetches a URL unconditionally and returns its bytes. */
export async function fetchBytes(
  fetcher: Fetcher,
  url: string,
  options: Pick<FetchOptions, 'signal' | 'cache'> = {},
): Promise<Buffer> {
  const response = await fetcher.fetch(url, options);
  switch (response.status) {
    case 'ok':
      return readBody(response.body);
    case 'not-modified':
      throw new LarderError('FETCH_FAILED', `GET ${redactUrl(url)}: unexpected 'not modified' answer`, {
        subject: redactUrl(url),
      });
  }
}
