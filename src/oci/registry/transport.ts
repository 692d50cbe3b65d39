import { setTimeout as delay } from 'node:timers/promises';
import { LarderError, type ProgressListener } from '../../core/index.js';
import { Authorizer } from './auth.js';
import { parseChallenges } from './challenge.js';
import type { CredentialsProvider } from './credentials.js';
import { isRetryable, retryAfterOf, statusError } from './errors.js';
import { discard, HttpClient, type HttpRequest, type HttpResponse } from './http.js';

/** A request to a registry: which registry, the token scopes it needs, and how to name it. */
export interface RegistryRequest extends HttpRequest {
  readonly registry: string;
  readonly scopes: readonly string[];
  /** Names the operation in errors: `HEAD blob sha256:… in 127.0.0.1:5000/team/app`. */
  readonly what: string;
}

export interface TransportOptions {
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly connections: number;
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly auth: CredentialsProvider | undefined;
  readonly onProgress: ProgressListener;
}

/**
 * Registry requests with authentication and retries. Before sending, the Authorization the
 * registry asked for earlier is added (a cached bearer token for the request's scopes); a 401
 * is answered once by following its challenge, a second 401 is FETCH_UNAUTHORIZED naming the
 * realm and scope tried. 5xx, 408, 429 (honouring Retry-After) and connection failures are
 * retried with exponential backoff and jitter; every other status is the caller's to judge.
 */
export class RegistryTransport {
  readonly #options: TransportOptions;
  readonly #http: HttpClient;
  readonly #auth: Authorizer;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#http = new HttpClient(options);
    this.#auth = new Authorizer(options.auth, (req) => this.withRetries(req, `token request ${req.url}`));
  }

  async send(req: RegistryRequest): Promise<HttpResponse> {
    let challenged = false;
    for (;;) {
      const authorization = await this.#auth.authorization(req.registry, req.scopes);
      const headers = { ...req.headers, ...(authorization === undefined ? {} : { authorization }) };
      const res = await this.withRetries({ ...req, headers }, req.what);
      if (res.status !== 401) return res;
      const challenges = parseChallenges(res.headers('www-authenticate'));
      const tried = this.#auth.describe(req.registry, req.scopes);
      if (!challenged) {
        challenged = true;
        if (await this.#auth.challenged(req.registry, req.url, challenges, req.scopes)) {
          await discard(res);
          continue;
        }
      }
      const err = await statusError(`${req.what}: unauthorized ${tried}`, res);
      throw new LarderError('FETCH_UNAUTHORIZED', err.message, { cause: err.cause, subject: req.registry });
    }
  }

  /** One request retried on transient failures, without registry auth. */
  async withRetries(req: HttpRequest, what: string): Promise<HttpResponse> {
    const attempts = this.#options.retries + 1;
    for (let made = 1; ; made++) {
      let failure: unknown;
      try {
        const res = await this.#http.send(req);
        if (!(res.status >= 500 || res.status === 429 || res.status === 408) || made >= attempts) return res;
        failure = await statusError(what, res);
      } catch (err) {
        if (!isRetryable(err) || made >= attempts) throw err;
        failure = err;
      }
      await this.backoff(failure, made);
    }
  }

  /** Waits before attempt `made + 1`, telling the listener why. */
  async backoff(failure: unknown, made: number): Promise<void> {
    const { baseDelayMs, maxDelayMs, retries } = this.#options;
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (made - 1));
    let ms = Math.round(exp / 2 + (Math.random() * exp) / 2);
    const after = retryAfterOf(failure);
    if (after !== undefined) ms = Math.max(ms, Math.min(after, maxDelayMs));
    const message = `${(failure as Error).message}; retrying in ${ms} ms (attempt ${made + 1} of ${retries + 1})`;
    this.#options.onProgress({ kind: 'warn', message });
    await delay(ms);
  }

  get retries(): number {
    return this.#options.retries;
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
