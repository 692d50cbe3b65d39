import { LarderError } from '../../core/index.js';
import { type AuthChallenge, mergeScopes } from './challenge.js';
import type { CredentialsProvider, RegistryCredentials } from './credentials.js';
import { statusError } from './errors.js';
import { type HttpRequest, type HttpResponse, readBody } from './http.js';

type Scheme =
  | { readonly kind: 'basic' }
  | { readonly kind: 'bearer'; readonly realm: string; readonly service?: string };

interface Token {
  readonly value: string;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

/**
 * A 401 without an `error` (the answer to a request sent before the scheme was known, i.e.
 * anonymously) does not drop a token younger than this: parallel first requests would
 * otherwise each throw away the token another just fetched.
 */
const FRESH_MS = 2000;

/** Sends a token request (with retries, without registry auth). */
export type TokenSender = (req: HttpRequest) => Promise<HttpResponse>;

const CLIENT_ID = 'larder';

/**
 * Per-client authentication state: the scheme each registry asked for (learned from its first
 * 401), credentials looked up once per registry, and bearer tokens cached per (registry,
 * service, merged scopes) until shortly before they expire. Tokens are fetched from the realm
 * with GET (anonymous or Basic) or, for an identity token, the OAuth2 refresh-token POST.
 */
export class Authorizer {
  readonly #provider: CredentialsProvider | undefined;
  readonly #send: TokenSender;
  readonly #now: () => number;
  readonly #schemes = new Map<string, Scheme>();
  readonly #credentials = new Map<string, Promise<RegistryCredentials | undefined>>();
  readonly #tokens = new Map<string, Token>();
  /** Token fetches under way, so concurrent requests needing the same scopes share one. */
  readonly #fetching = new Map<string, Promise<string>>();
  /**
   * What the latest token per key granted (from its JWT `access` claim), for explaining a
   * denial; kept when a challenge drops the token itself.
   */
  readonly #granted = new Map<string, readonly string[]>();
  /** Credentials once looked up, for describing what was tried. */
  readonly #known = new Map<string, RegistryCredentials | undefined>();

  constructor(provider: CredentialsProvider | undefined, send: TokenSender, now: () => number = Date.now) {
    this.#provider = provider;
    this.#send = send;
    this.#now = now;
  }

  /** The Authorization header for a request to `registry` needing `scopes`, if known. */
  async authorization(registry: string, scopes: readonly string[]): Promise<string | undefined> {
    // Looked up before the first request too, so an error can say none were found.
    const credentials = await this.#credentialsFor(registry);
    const scheme = this.#schemes.get(registry);
    if (scheme === undefined) return undefined;
    if (scheme.kind === 'basic') return credentials?.kind === 'basic' ? basic(credentials) : undefined;
    if (credentials?.kind === 'registry-token') return `Bearer ${credentials.token}`;
    const key = this.#key(registry, scheme, scopes);
    const cached = this.#tokens.get(key);
    if (cached !== undefined && cached.expiresAt > this.#now()) return `Bearer ${cached.value}`;
    let fetching = this.#fetching.get(key);
    if (fetching === undefined) {
      fetching = this.#fetchToken(registry, scheme, scopes, key, credentials).finally(() =>
        this.#fetching.delete(key),
      );
      this.#fetching.set(key, fetching);
    }
    return `Bearer ${await fetching}`;
  }

  /**
   * Learns from a 401's challenges; returns false when there is nothing new to try (no
   * supported challenge, or Basic without credentials). The cached token for these scopes is
   * dropped, so the next `authorization` fetches a fresh one, when the challenge names an
   * error (`invalid_token`, `insufficient_scope`) or the token is not fresh.
   */
  async challenged(
    registry: string,
    requestUrl: string,
    challenges: readonly AuthChallenge[],
    scopes: readonly string[],
  ): Promise<boolean> {
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm !== undefined);
    if (bearer !== undefined) {
      const realm = new URL(bearer.params.realm!, requestUrl).toString();
      const service = bearer.params.service;
      const scheme: Scheme = { kind: 'bearer', realm, ...(service === undefined ? {} : { service }) };
      this.#schemes.set(registry, scheme);
      const key = this.#key(registry, scheme, scopes);
      const cached = this.#tokens.get(key);
      if (
        cached !== undefined &&
        (bearer.params.error !== undefined || this.#now() - cached.fetchedAt >= FRESH_MS)
      ) {
        this.#tokens.delete(key);
      }
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.#schemes.set(registry, { kind: 'basic' });
      return (await this.#credentialsFor(registry))?.kind === 'basic';
    }
    return false;
  }

  /**
   * Words for an error: the scheme, realm and scopes that were tried, and as whom (the user
   * name, never a secret), or that no credentials were found for the registry and where.
   */
  describe(registry: string, scopes: readonly string[]): string {
    const scheme = this.#schemes.get(registry);
    const merged = mergeScopes(scopes).join(' ');
    const scope = merged === '' ? '' : ` for scope ${merged}`;
    const who = this.#who(registry);
    if (scheme === undefined)
      return this.#known.get(registry) === undefined ? `${who}${scope}` : `anonymously${scope}`;
    if (scheme.kind === 'basic') {
      return this.#known.get(registry) === undefined
        ? `${who}, though it asks for Basic auth`
        : `with Basic auth ${who}`;
    }
    const service = scheme.service === undefined ? '' : ` service ${scheme.service}`;
    const said = `with a bearer token from realm ${scheme.realm}${service}${scope}, ${who}`;
    const granted = this.#granted.get(this.#key(registry, scheme, scopes));
    if (granted === undefined) return said;
    const missing = mergeScopes(scopes).filter((s) => !covers(granted, s));
    return missing.length === 0
      ? said
      : `${said}; the token grants ${granted.length === 0 ? 'nothing' : `only ${granted.join(' ')}`}`;
  }

  #who(registry: string): string {
    if (!this.#known.has(registry)) return 'anonymously';
    const credentials = this.#known.get(registry);
    if (credentials === undefined) {
      const where = this.#provider?.source === undefined ? '' : ` in ${this.#provider.source}`;
      return `anonymously (no credentials for ${registry}${where})`;
    }
    if (credentials.kind === 'basic') return `as user ${credentials.username}`;
    if (credentials.kind === 'identity-token') return 'with an identity token (OAuth2 refresh token)';
    return 'with a registry token';
  }

  #credentialsFor(registry: string): Promise<RegistryCredentials | undefined> {
    let found = this.#credentials.get(registry);
    if (found === undefined) {
      found = (this.#provider === undefined ? Promise.resolve(undefined) : this.#provider(registry)).then(
        (credentials) => {
          this.#known.set(registry, credentials);
          return credentials;
        },
      );
      this.#credentials.set(registry, found);
    }
    return found;
  }

  #key(registry: string, scheme: Scheme, scopes: readonly string[]): string {
    const service = scheme.kind === 'bearer' ? (scheme.service ?? '') : '';
    return `${registry}\n${service}\n${mergeScopes(scopes).join(' ')}`;
  }

  async #fetchToken(
    registry: string,
    scheme: Extract<Scheme, { kind: 'bearer' }>,
    scopes: readonly string[],
    key: string,
    credentials: RegistryCredentials | undefined,
  ): Promise<string> {
    const merged = mergeScopes(scopes);
    const url = new URL(scheme.realm);
    let req: HttpRequest;
    if (credentials?.kind === 'identity-token') {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token });
      if (scheme.service !== undefined) form.set('service', scheme.service);
      form.set('scope', merged.join(' '));
      form.set('client_id', CLIENT_ID);
      const body = Buffer.from(form.toString());
      req = {
        method: 'POST',
        url: url.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: () => body,
      };
    } else {
      if (scheme.service !== undefined) url.searchParams.set('service', scheme.service);
      for (const scope of merged) url.searchParams.append('scope', scope);
      const headers: Record<string, string> =
        credentials?.kind === 'basic' ? { authorization: basic(credentials) } : {};
      req = { method: 'GET', url: url.toString(), headers };
    }
    const what = `token for ${registry} from ${scheme.realm} (scope ${merged.join(' ')}, ${this.#who(registry)})`;
    const res = await this.#send(req);
    if (res.status !== 200) {
      const err = await statusError(`cannot get a ${what}`, res);
      if (res.status === 401 || res.status === 403) {
        throw new LarderError('FETCH_UNAUTHORIZED', err.message, { cause: err.cause, subject: scheme.realm });
      }
      throw err;
    }
    let doc: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      doc = JSON.parse((await readBody(res, 1024 * 1024, what)).toString('utf8'));
    } catch (err) {
      throw new LarderError('FETCH_FAILED', `${what}: the answer is not JSON`, { cause: err });
    }
    const value = typeof doc.token === 'string' && doc.token !== '' ? doc.token : doc.access_token;
    if (typeof value !== 'string' || value === '') {
      throw new LarderError('FETCH_FAILED', `${what}: the answer has no token`);
    }
    const seconds = typeof doc.expires_in === 'number' && doc.expires_in > 0 ? doc.expires_in : 60;
    // Renew a little early so a token does not expire between check and use.
    const fetchedAt = this.#now();
    this.#tokens.set(key, { value, fetchedAt, expiresAt: fetchedAt + Math.max(1, seconds - 10) * 1000 });
    const granted = grantedScopes(value);
    if (granted === undefined) this.#granted.delete(key);
    else this.#granted.set(key, granted);
    return value;
  }
}

/**
 * The scopes a docker registry token grants, from the `access` claim of its JWT payload
 * (`[{type, name, actions}]`), merged; undefined when the token is not such a JWT. Only for
 * explaining a denial: the token is not verified here.
 */
export function grantedScopes(token: string): string[] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let claims: { access?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null || !Array.isArray(claims.access)) return undefined;
  const scopes: string[] = [];
  for (const entry of claims.access as Array<{ type?: unknown; name?: unknown; actions?: unknown }>) {
    if (typeof entry?.type !== 'string' || typeof entry.name !== 'string' || !Array.isArray(entry.actions))
      continue;
    const actions = entry.actions.filter((a): a is string => typeof a === 'string');
    if (actions.length > 0) scopes.push(`${entry.type}:${entry.name}:${actions.join(',')}`);
  }
  return mergeScopes(scopes);
}

/** True when the granted (merged) scopes include every action of `scope`. */
function covers(granted: readonly string[], scope: string): boolean {
  const at = scope.lastIndexOf(':');
  const resource = scope.slice(0, at);
  const have = granted.find((g) => g.slice(0, g.lastIndexOf(':')) === resource);
  if (have === undefined) return false;
  const actions = new Set(have.slice(have.lastIndexOf(':') + 1).split(','));
  return (
    actions.has('*') ||
    scope
      .slice(at + 1)
      .split(',')
      .every((a) => actions.has(a))
  );
}

function basic(credentials: Extract<RegistryCredentials, { kind: 'basic' }>): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
