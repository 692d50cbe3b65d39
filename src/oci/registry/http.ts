import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { LarderError } from '../../core/index.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request; `body` is called once per attempt, so retries can send it again. */
export interface HttpRequest {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: () => Uint8Array | Readable;
}

export interface HttpResponse {
  readonly status: number;
  readonly url: string;
  /** The first value of a header (lower-case name). */
  header(name: string): string | undefined;
  /** Every value of a header. */
  headers(name: string): string[];
  readonly body: Dispatcher.ResponseData['body'];
}

export interface HttpClientOptions {
  readonly userAgent: string;
  /** Idle timeout for headers and between body chunks. */
  readonly timeoutMs: number;
  readonly connections: number;
}

interface Loaded {
  readonly agent: Dispatcher & { close(): Promise<void> };
  readonly dispatcher: Dispatcher;
  readonly request: typeof import('undici').request;
}

/**
 * One attempt per request over undici, loaded on first use (its import costs ~170 ms).
 * Keep-alive connections; redirects followed for GET/HEAD with undici's interceptor, which
 * drops `Authorization` when the origin changes (dist-spec §2.1). Transport failures throw
 * FETCH_FAILED with the undici error as cause; statuses are the caller's business.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  #loaded: Promise<Loaded> | undefined;

  constructor(options: HttpClientOptions) {
    this.#options = options;
  }

  #load(): Promise<Loaded> {
    this.#loaded ??= import('undici').then(({ Agent, interceptors, request }) => {
      const agent = new Agent({
        connections: this.#options.connections,
        keepAliveTimeout: 10_000,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
      const dispatcher = agent.compose(interceptors.redirect({ maxRedirections: 5 }));
      return { agent, dispatcher, request };
    });
    return this.#loaded;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const { dispatcher, request } = await this.#load();
    const headers: Record<string, string> = {
      'user-agent': this.#options.userAgent,
      'accept-encoding': 'identity',
      ...req.headers,
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await request(req.url, {
        dispatcher,
        method: req.method,
        headers,
        ...(req.body === undefined ? {} : { body: req.body() }),
      });
    } catch (err) {
      throw transportError(`${req.method} ${req.url}`, err);
    }
    const raw = response.headers;
    const all = (name: string): string[] => {
      const value = raw[name];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    };
    return {
      status: response.statusCode,
      url: req.url,
      header: (name) => all(name)[0],
      headers: all,
      body: response.body,
    };
  }

  async close(): Promise<void> {
    if (this.#loaded !== undefined) await (await this.#loaded).agent.close();
  }
}

/** A FETCH_FAILED for a connection-level failure (refused, reset, timeout, cut body). */
export function transportError(what: string, err: unknown): LarderError {
  if (err instanceof LarderError) return err;
  const code = (err as { code?: unknown }).code;
  const detail = `${(err as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
  return new LarderError('FETCH_FAILED', `${what}: connection failed: ${detail}`, { cause: err });
}

/** Reads a (small) response body as bytes, refusing more than `limit`. */
export async function readBody(res: HttpResponse, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        res.body.destroy();
        throw new LarderError('FETCH_FAILED', `${what}: response is larger than ${limit} bytes`);
      }
      parts.push(chunk as Buffer);
    }
  } catch (err) {
    throw transportError(what, err);
  }
  return Buffer.concat(parts);
}

/** Discards a response body, ignoring errors. */
export async function discard(res: HttpResponse): Promise<void> {
  await res.body.dump().catch(() => {});
}
