import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
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
  readonly body: Readable;
}

export interface HttpClientOptions {
  readonly userAgent: string;
  /** Idle timeout for headers and between body chunks. */
  readonly timeoutMs: number;
  readonly connections: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * One attempt per request over Node's own http/https with keep-alive agents (undici's first
 * request costs ~0.35 s of CPU: its CommonJS bundle and llhttp WebAssembly compile, more than
 * a whole push of a small image). Redirects are followed for GET/HEAD, dropping
 * `Authorization` when the origin changes (dist-spec §2.1). Transport failures throw
 * FETCH_FAILED with the error as cause; statuses are the caller's business.
 */
export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    const agent = {
      keepAlive: true,
      keepAliveMsecs: 10_000,
      maxSockets: options.connections,
      scheduling: 'lifo',
    } as const;
    this.#http = new HttpAgent(agent);
    this.#https = new HttpsAgent(agent);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      'user-agent': this.#options.userAgent,
      'accept-encoding': 'identity',
      ...req.headers,
    };
    let url = req.url;
    for (let redirects = 0; ; redirects++) {
      let res: IncomingMessage;
      try {
        res = await this.#once(req.method, url, headers, redirects === 0 ? req.body : undefined);
      } catch (err) {
        throw transportError(`${req.method} ${url}`, err);
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      const follow = (req.method === 'GET' || req.method === 'HEAD') && REDIRECTS.has(status);
      if (follow && location !== undefined && redirects < MAX_REDIRECTS) {
        res.resume();
        const next = new URL(location, url);
        if (next.origin !== new URL(url).origin) delete headers.authorization;
        url = next.toString();
        continue;
      }
      const all = (name: string): string[] => res.headersDistinct[name] ?? [];
      return { status, url: req.url, header: (name) => all(name)[0], headers: all, body: res };
    }
  }

  #once(
    method: HttpMethod,
    url: string,
    headers: Record<string, string>,
    body: HttpRequest['body'],
  ): Promise<IncomingMessage> {
    const { timeoutMs } = this.#options;
    return new Promise((resolve, reject) => {
      const https = url.startsWith('https:');
      const send = https ? httpsRequest : httpRequest;
      const req = send(url, { method, headers, agent: https ? this.#https : this.#http }, resolve);
      req.on('error', reject);
      req.setTimeout(timeoutMs, () => {
        const err = Object.assign(new Error(`no data for ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
        req.destroy(err);
      });
      const data = body?.();
      if (data === undefined) {
        req.end();
      } else if (data instanceof Uint8Array) {
        req.end(data);
      } else {
        data.on('error', (err) => req.destroy(err));
        req.on('close', () => {
          if (!data.readableEnded) data.destroy();
        });
        data.pipe(req);
      }
    });
  }

  async close(): Promise<void> {
    this.#http.destroy();
    this.#https.destroy();
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

/** Reads a response body to its end and drops it (so the connection is kept), ignoring errors. */
export async function discard(res: HttpResponse): Promise<void> {
  const body = res.body;
  if (body.readableEnded || body.destroyed) return;
  await new Promise<void>((resolve) => {
    body.once('end', resolve);
    body.once('close', resolve);
    body.once('error', () => resolve());
    body.resume();
  });
}
