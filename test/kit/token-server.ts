import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A docker token service (the "Token Authentication Specification" of docker/distribution) for
 * tests: `GET <realm>?service=S&scope=A&scope=B` with optional Basic credentials, and the
 * OAuth2 form `POST <realm>` (`grant_type=password` or `refresh_token`). It answers with an
 * ES256 JWT whose `x5c` header carries its self-signed certificate, the one the registry is
 * given as `auth.token.rootcertbundle`. Each user is granted the requested actions it is
 * allowed; anonymous callers get a token granting nothing (as public token services do);
 * wrong passwords and unknown refresh tokens get 401. Every request is recorded. It runs in the
 * test's own process: clients must run asynchronously (a `spawnSync` blocks it from answering).
 */

/** What a user may do on any repository: `['pull', 'push']`, `['pull']`. */
export interface TokenUser {
  readonly password: string;
  readonly actions: readonly string[];
  /** An OAuth2 refresh token (docker config's `identitytoken`) standing for this user. */
  readonly refreshToken?: string;
}

export interface TokenRequestRecord {
  readonly method: 'GET' | 'POST';
  /** The authenticated user, or undefined for anonymous. */
  readonly user: string | undefined;
  readonly service: string | undefined;
  readonly scopes: readonly string[];
  readonly status: number;
}

export interface TokenServer {
  /** `http://127.0.0.1:<port>/token`. */
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM file of the signing certificate, for `rootcertbundle`. */
  readonly certificatePath: string;
  /** Every token request so far, in order. */
  readonly requests: TokenRequestRecord[];
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  /** A directory for the key and certificate (made by openssl). */
  readonly dir: string;
  readonly users: Readonly<Record<string, TokenUser>>;
  readonly service?: string;
  readonly issuer?: string;
  /** Lifetime of issued tokens; 300 s by default. */
  readonly expiresIn?: number;
}

/** Starts the token service on 127.0.0.1 on a free port. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyPath = join(options.dir, 'token.key');
  const certificatePath = join(options.dir, 'token.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certificatePath,
      '-days',
      '2',
      '-subj',
      '/CN=larder test token issuer',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(await readFile(keyPath));
  const pem = await readFile(certificatePath, 'utf8');
  const x5c = pem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .trim();
  const service = options.service ?? 'larder-test-registry';
  const issuer = options.issuer ?? 'larder-test-token-issuer';
  const requests: TokenRequestRecord[] = [];
  const issue = { key, x5c, service, issuer, expiresIn: options.expiresIn ?? 300 };

  const server: Server = createServer((req, res) => {
    handle(req, res, options.users, issue, requests).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificatePath,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Issuer {
  readonly key: KeyObject;
  readonly x5c: string;
  readonly service: string;
  readonly issuer: string;
  readonly expiresIn: number;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  users: Readonly<Record<string, TokenUser>>,
  issuer: Issuer,
  requests: TokenRequestRecord[],
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
    res.writeHead(404).end();
    return;
  }
  let user: string | undefined;
  let service: string | undefined;
  let scopes: string[];
  let denied = false;
  if (req.method === 'GET') {
    service = url.searchParams.get('service') ?? undefined;
    scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter((x) => x !== ''));
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Basic\s+(\S+)$/i.exec(header);
      const decoded = m === null ? '' : Buffer.from(m[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      if (colon > 0 && users[name]?.password === decoded.slice(colon + 1)) user = name;
      else denied = true;
    }
  } else {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    service = form.get('service') ?? undefined;
    scopes = (form.get('scope') ?? '').split(' ').filter((x) => x !== '');
    const grant = form.get('grant_type');
    if (grant === 'password') {
      const name = form.get('username') ?? '';
      if (users[name]?.password === form.get('password')) user = name;
      else denied = true;
    } else if (grant === 'refresh_token') {
      const token = form.get('refresh_token');
      user = Object.keys(users).find(
        (n) => users[n]!.refreshToken !== undefined && users[n]!.refreshToken === token,
      );
      if (user === undefined) denied = true;
    } else {
      denied = true;
    }
  }
  const method = req.method as 'GET' | 'POST';
  if (denied || (service !== undefined && service !== issuer.service)) {
    requests.push({ method, user, service, scopes, status: 401 });
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication failed' }] }));
    return;
  }
  const allowed = user === undefined ? [] : users[user]!.actions;
  const access = scopes.flatMap((scope) => {
    const at = scope.lastIndexOf(':');
    const first = scope.indexOf(':');
    if (first < 0 || at <= first) return [];
    const actions = scope
      .slice(at + 1)
      .split(',')
      .filter((a) => allowed.includes(a) || (a === '*' && allowed.includes('push')));
    return actions.length === 0
      ? []
      : [{ type: scope.slice(0, first), name: scope.slice(first + 1, at), actions }];
  });
  const now = Math.floor(Date.now() / 1000);
  const token = jwt(issuer, {
    iss: issuer.issuer,
    sub: user ?? '',
    aud: issuer.service,
    exp: now + issuer.expiresIn,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(12).toString('hex'),
    access,
  });
  requests.push({ method, user, service, scopes, status: 200 });
  res.writeHead(200, { 'content-type': 'application/json' });
  // GET answers `token`; the OAuth2 POST answers `access_token` only, as the spec's examples do.
  const body =
    method === 'GET'
      ? {
          token,
          access_token: token,
          expires_in: issuer.expiresIn,
          issued_at: new Date(now * 1000).toISOString(),
        }
      : { access_token: token, expires_in: issuer.expiresIn, scope: scopes.join(' ') };
  res.end(JSON.stringify(body));
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function jwt(issuer: Issuer, claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'ES256', x5c: [issuer.x5c] };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(input), { key: issuer.key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}
