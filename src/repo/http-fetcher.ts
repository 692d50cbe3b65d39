import { Agent, type Dispatcher, interceptors, request } from 'undici';
import { IGNORE_PROGRESS, LarderError, type ProgressListener } from '../core/index.js';
import {
  type ClosableFetcher,
  type FetchOptions,
  type FetchResponse,
  httpStatusError,
  redactUrl,
} from './fetcher.js';

export interface HttpFetcherOptions {
  /**
   * Idle timeout for the response headers and between body chunks; 30 s by default. undici
   * checks it on a ~1 s tick, so small values fire late.
   */
  readonly timeoutMs?: number;
  /** Keep-alive connections per origin; 8 by default. */
  readonly connections?: number;
  readonly maxRedirections?: number;
  readonly userAgent?: string;
  /** Receives `start`/`advance`/`finish` events per download, in bytes. */
  readonly onProgress?: ProgressListener;
}

/**
 * One attempt per fetch over http(s) with undici: a keep-alive Agent, redirects followed,
 * `user:password@` in the URL sent as Basic auth (and hidden in messages), conditional
 * headers, a streamed body. A body that ends early (fewer bytes than Content-Length, or a
 * reset socket) throws FETCH_FAILED; short data is never passed on. Retries are the job of
 * `createRetryingFetcher`, which wraps this one.
 */
export function createUndiciFetcher(options: HttpFetcherOptions = {}): ClosableFetcher {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agent = new Agent({
    connections: options.connections ?? 8,
    keepAliveTimeout: 10_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: options.maxRedirections ?? 5 }));
  const userAgent = options.userAgent ?? 'larder';
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  return {
    fetch: (url, fetchOptions) => fetchOnce(dispatcher, url, fetchOptions ?? {}, userAgent, progress),
    close: () => agent.close(),
  };
}

async function fetchOnce(
  dispatcher: Dispatcher,
  url: string,
  options: FetchOptions,
  userAgent: string,
  progress: ProgressListener,
): Promise<FetchResponse> {
  const shown = redactUrl(url);
  const { target, authorization } = splitCredentials(url);
  const headers: Record<string, string> = { 'user-agent': userAgent, 'accept-encoding': 'identity' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (options.etag !== undefined) headers['if-none-match'] = options.etag;
  if (options.lastModified !== undefined) headers['if-modified-since'] = options.lastModified;
  let response: Dispatcher.ResponseData;
  try {
    response = await request(target, {
      dispatcher,
      method: 'GET',
      headers,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw transportError(shown, err, 'request failed');
  }
  const status = response.statusCode;
  const header = (name: string): string | undefined => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (status === 304 && (options.etag !== undefined || options.lastModified !== undefined)) {
    await response.body.dump();
    return { status: 'not-modified' };
  }
  if (status !== 200) {
    await response.body.dump().catch(() => {});
    throw httpStatusError(url, status, parseRetryAfter(header('retry-after')));
  }
  const length = header('content-length');
  const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  const etag = header('etag');
  const lastModified = header('last-modified');
  return {
    status: 'ok',
    body: checkedBody(response.body, shown, size, progress),
    ...(size !== undefined ? { size } : {}),
    ...(etag !== undefined ? { etag } : {}),
    ...(lastModified !== undefined ? { lastModified } : {}),
  };
}

async function* checkedBody(
  body: Dispatcher.ResponseData['body'],
  url: string,
  size: number | undefined,
  progress: ProgressListener,
): AsyncGenerator<Uint8Array> {
  const task = `GET ${url}`;
  progress({ kind: 'start', task, ...(size !== undefined ? { total: size } : {}) });
  let done = 0;
  try {
    for await (const chunk of body) {
      done += (chunk as Buffer).length;
      if (size !== undefined && done > size)
        throw new LarderError('FETCH_FAILED', `GET ${url}: more than the announced ${size} bytes`, {
          subject: url,
        });
      progress({ kind: 'advance', task, done, ...(size !== undefined ? { total: size } : {}) });
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof LarderError) throw err;
    const of = size !== undefined ? ` of ${size}` : '';
    throw transportError(url, err, `connection lost after ${done}${of} bytes`);
  } finally {
    body.destroy();
  }
  if (size !== undefined && done !== size)
    throw new LarderError('FETCH_FAILED', `GET ${url}: response cut short: ${done} of ${size} bytes`, {
      subject: url,
    });
  progress({ kind: 'finish', task });
}

function transportError(url: string, err: unknown, what: string): LarderError {
  const code = (err as { code?: unknown }).code;
  const detail = `${(err as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
  return new LarderError('FETCH_FAILED', `GET ${url}: ${what}: ${detail}`, { cause: err, subject: url });
}

/** Moves `user:password@` out of the URL into a Basic Authorization header, as apk does. */
function splitCredentials(url: string): { target: string; authorization?: string } {
  if (!/^[a-z]+:\/\/[^/]*@/i.test(url)) return { target: url };
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const token = Buffer.from(`${user}:${password}`).toString('base64');
  return { target: parsed.toString(), authorization: `Basic ${token}` };
}

/** `Retry-After` as delay seconds or an HTTP date, in milliseconds. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
