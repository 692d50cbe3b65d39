import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-process OCI distribution registry on 127.0.0.1 for unit tests: blobs (HEAD/GET),
 * uploads (POST, PATCH with Content-Range, PUT with digest, status GET, mount), manifests
 * (GET/HEAD/PUT, checking referenced content exists), tags (paged), the OCI 1.1 referrers API
 * (`OCI-Subject` on PUT, `artifactType` filter, paged; off with `referrers: false`), and optional Basic or
 * bearer-token auth with a token endpoint at `/token`. Faults can be injected per request.
 */
export interface FakeRegistryOptions {
  readonly auth?: 'none' | 'basic' | 'bearer';
  /** Accepted user:password pairs (Basic, and the token endpoint). Empty → anonymous tokens. */
  readonly users?: Readonly<Record<string, string>>;
  /** Refresh token accepted by the token endpoint's OAuth2 POST. */
  readonly identityToken?: string;
  /** When false, mount requests open an upload session (202) instead. Default true. */
  readonly mount?: boolean;
  /** Tags per page of tags/list (Link header to the next page). */
  readonly tagsPageSize?: number;
  /** When false, tags/list pages carry no Link header (clients page with `n`/`last`). Default true. */
  readonly tagsLink?: boolean;
  /** Token lifetime in seconds returned by /token. */
  readonly expiresIn?: number;
  /** When false, there is no referrers API (404, no `OCI-Subject`), like distribution 2.8. Default true. */
  readonly referrers?: boolean;
  /** Descriptors per page of the referrers API (Link header to the next page). */
  readonly referrersPageSize?: number;
  /** When false, the referrers API ignores `artifactType` (no `OCI-Filters-Applied`). Default true. */
  readonly referrersFilter?: boolean;
}

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization: string | undefined;
  readonly headers: IncomingMessage['headers'];
}

type Fault = { readonly status: number; readonly retryAfter?: number } | 'reset';

export interface FakeRegistry {
  /** `127.0.0.1:<port>`: the registry part of a reference. */
  readonly host: string;
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly blobs: Map<string, Buffer>;
  readonly manifests: Map<string, Map<string, { bytes: Buffer; mediaType: string }>>;
  /** Makes a repository hold a blob (as if pushed). */
  addBlob(repository: string, bytes: Buffer): string;
  /** Answers the next `times` requests matching method and path pattern with a fault. */
  fail(method: string, path: RegExp, fault: Fault, times?: number): void;
  /** Serves other bytes for this blob digest. */
  corrupt(digest: string): void;
  close(): Promise<void>;
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const ROUTE =
  /^\/v2\/(.+?)\/(blobs\/uploads\/([^/]*)|blobs\/([^/]+)|manifests\/([^/]+)|tags\/list|referrers\/([^/]+))$/;

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const requests: FakeRequest[] = [];
  const blobs = new Map<string, Buffer>();
  const repoBlobs = new Map<string, Set<string>>();
  const manifests = new Map<string, Map<string, { bytes: Buffer; mediaType: string }>>();
  const uploads = new Map<string, { repo: string; data: Buffer }>();
  const tokens = new Map<string, Set<string>>();
  const faults: Array<{ method: string; path: RegExp; fault: Fault; times: number }> = [];
  const corrupted = new Set<string>();
  let counter = 0;
  let url = '';

  const inRepo = (repo: string): Set<string> => {
    let set = repoBlobs.get(repo);
    if (set === undefined) {
      set = new Set();
      repoBlobs.set(repo, set);
    }
    return set;
  };
  const addBlob = (repo: string, bytes: Buffer): string => {
    const digest = sha256(bytes);
    blobs.set(digest, bytes);
    inRepo(repo).add(digest);
    return digest;
  };
  const validUser = (header: string | undefined): boolean => {
    const match = /^Basic (.+)$/.exec(header ?? '');
    if (match === null) return false;
    const [user, ...rest] = Buffer.from(match[1]!, 'base64').toString().split(':');
    return options.users?.[user!] !== undefined && options.users[user!] === rest.join(':');
  };

  const token = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => {
    let scopes = query.getAll('scope');
    if (req.method === 'POST') {
      const form = new URLSearchParams((await body(req)).toString());
      if (form.get('refresh_token') !== options.identityToken)
        return json(res, 401, { error: 'bad refresh' });
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    } else if (options.users !== undefined && !validUser(req.headers.authorization)) {
      return json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
    }
    const value = `tok${++counter}`;
    const granted = new Set<string>();
    for (const scope of scopes) {
      const [, name, actions] = /^repository:(.+):([^:]+)$/.exec(scope) ?? [];
      for (const action of actions?.split(',') ?? []) granted.add(`${name}:${action}`);
    }
    tokens.set(value, granted);
    const key = req.method === 'POST' ? 'access_token' : 'token';
    return json(res, 200, { [key]: value, expires_in: options.expiresIn ?? 300 });
  };

  /** The needs (repo:action) a request has; answers 401 when they are not met. */
  const authorized = (req: IncomingMessage, res: ServerResponse, needs: string[]): boolean => {
    const auth = options.auth ?? 'none';
    if (auth === 'none') return true;
    const header = req.headers.authorization;
    if (auth === 'basic') {
      if (validUser(header)) return true;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return false;
    }
    const granted = tokens.get(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
    if (granted !== undefined && needs.every((n) => granted.has(n))) return true;
    const byRepo = new Map<string, string[]>();
    for (const need of needs) {
      const at = need.lastIndexOf(':');
      byRepo.set(need.slice(0, at), [...(byRepo.get(need.slice(0, at)) ?? []), need.slice(at + 1)]);
    }
    const scope = [...byRepo].map(([name, actions]) => `repository:${name}:${actions.join(',')}`).join(' ');
    const challenge = `Bearer realm="${url}/token",service="fake-registry"${scope === '' ? '' : `,scope="${scope}"`}`;
    res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    return false;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path: parsed.pathname,
      query: parsed.searchParams,
      authorization: req.headers.authorization,
      headers: req.headers,
    });
    const fault = faults.find((f) => f.times > 0 && f.method === method && f.path.test(parsed.pathname));
    if (fault !== undefined) {
      fault.times--;
      if (fault.fault === 'reset') return void req.socket.destroy();
      const headers =
        fault.fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.fault.retryAfter) };
      await body(req);
      return void res.writeHead(fault.fault.status, headers).end('injected');
    }
    if (parsed.pathname === '/token') return token(req, res, parsed.searchParams);
    if (parsed.pathname === '/v2/') {
      if (authorized(req, res, [])) json(res, 200, {});
      return;
    }
    const route = ROUTE.exec(parsed.pathname);
    if (route === null) return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: parsed.pathname }] });
    const repo = route[1]!;
    const write = method !== 'GET' && method !== 'HEAD';
    const needs = [`${repo}:pull`, ...(write ? [`${repo}:push`] : [])];
    const from = parsed.searchParams.get('from');
    if (from !== null) needs.push(`${from}:pull`);
    if (!authorized(req, res, needs)) return;
    if (route[2]!.startsWith('blobs/uploads/')) return upload(req, res, repo, route[3]!, parsed.searchParams);
    if (route[4] !== undefined) return blob(req, res, repo, route[4]);
    if (route[5] !== undefined) return manifest(req, res, repo, route[5]);
    if (route[6] !== undefined) return referrers(res, repo, route[6], parsed.searchParams);
    return tagList(res, repo, parsed.searchParams);
  };

  const upload = async (
    req: IncomingMessage,
    res: ServerResponse,
    repo: string,
    id: string,
    query: URLSearchParams,
  ) => {
    let data: Buffer;
    try {
      data = await body(req);
    } catch (err) {
      // A PATCH cut mid-body: keep the bytes that arrived in order (as registries that resume do).
      const state = uploads.get(id);
      const start = Number(/^(\d+)-/.exec(req.headers['content-range'] ?? '')?.[1] ?? -1);
      const got = (err as { received?: Buffer }).received;
      if (req.method === 'PATCH' && state !== undefined && got !== undefined && start === state.data.length)
        state.data = Buffer.concat([state.data, got]);
      throw err;
    }
    if (req.method === 'POST') {
      const mount = query.get('mount');
      if (mount !== null && (options.mount ?? true) && repoBlobs.get(query.get('from') ?? '')?.has(mount)) {
        inRepo(repo).add(mount);
        return void res.writeHead(201, { location: `/v2/${repo}/blobs/${mount}` }).end();
      }
      const session = `u${++counter}`;
      uploads.set(session, { repo, data: Buffer.alloc(0) });
      return void res
        .writeHead(202, { location: `/v2/${repo}/blobs/uploads/${session}?_state=s${session}`, range: '0-0' })
        .end();
    }
    const state = uploads.get(id);
    if (state === undefined || query.get('_state') !== `s${id}`) {
      return json(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: id }] });
    }
    const range = () => ({
      location: `/v2/${repo}/blobs/uploads/${id}?_state=s${id}`,
      range: `0-${state.data.length - 1}`,
    });
    if (req.method === 'GET') return void res.writeHead(204, range()).end();
    const contentRange = req.headers['content-range'];
    if (contentRange !== undefined) {
      const [start, end] = contentRange.split('-').map(Number);
      if (start !== state.data.length || end! - start! + 1 !== data.length)
        return void res.writeHead(416, range()).end();
    }
    state.data = Buffer.concat([state.data, data]);
    if (req.method === 'PATCH') return void res.writeHead(202, range()).end();
    const digest = query.get('digest');
    if (digest !== sha256(state.data))
      return json(res, 400, { errors: [{ code: 'DIGEST_INVALID', message: `got ${sha256(state.data)}` }] });
    uploads.delete(id);
    addBlob(repo, state.data);
    res.writeHead(201, { location: `/v2/${repo}/blobs/${digest}`, 'docker-content-digest': digest }).end();
  };

  const blob = async (req: IncomingMessage, res: ServerResponse, repo: string, digest: string) => {
    const bytes = blobs.get(digest);
    if (bytes === undefined || !repoBlobs.get(repo)?.has(digest)) {
      return json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: digest }] });
    }
    const served = corrupted.has(digest) ? Buffer.from(bytes.map((b) => b ^ 1)) : bytes;
    res.writeHead(200, {
      'content-length': served.length,
      'docker-content-digest': digest,
      'content-type': 'application/octet-stream',
    });
    res.end(req.method === 'HEAD' ? undefined : served);
  };

  const manifest = async (req: IncomingMessage, res: ServerResponse, repo: string, ref: string) => {
    const store = manifests.get(repo) ?? new Map<string, { bytes: Buffer; mediaType: string }>();
    manifests.set(repo, store);
    if (req.method === 'PUT') {
      const bytes = await body(req);
      const mediaType = req.headers['content-type'] ?? '';
      const doc = JSON.parse(bytes.toString()) as {
        manifests?: Array<{ digest: string }>;
        config?: { digest: string };
        layers?: Array<{ digest: string }>;
      };
      const missingBlob = [doc.config, ...(doc.layers ?? [])].find(
        (d) => d !== undefined && !inRepo(repo).has(d.digest),
      );
      const missingManifest = (doc.manifests ?? []).find((d) => !store.has(d.digest));
      if (missingBlob !== undefined || missingManifest !== undefined) {
        return json(res, 400, {
          errors: [{ code: 'MANIFEST_BLOB_UNKNOWN', message: (missingBlob ?? missingManifest)!.digest }],
        });
      }
      const digest = sha256(bytes);
      store.set(digest, { bytes, mediaType });
      store.set(ref, { bytes, mediaType });
      const subject = (doc as { subject?: { digest?: string } }).subject?.digest;
      const headers: Record<string, string> = {
        location: `/v2/${repo}/manifests/${digest}`,
        'docker-content-digest': digest,
      };
      if (subject !== undefined && (options.referrers ?? true)) headers['oci-subject'] = subject;
      return void res.writeHead(201, headers).end();
    }
    const found = store.get(ref);
    if (found === undefined) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: ref }] });
    res.writeHead(200, {
      'content-type': found.mediaType,
      'content-length': found.bytes.length,
      'docker-content-digest': sha256(found.bytes),
    });
    res.end(req.method === 'HEAD' ? undefined : found.bytes);
  };

  const referrers = (res: ServerResponse, repo: string, digest: string, query: URLSearchParams) => {
    if (!(options.referrers ?? true))
      return json(res, 404, { errors: [{ code: 'NOT_FOUND', message: 'no API' }] });
    const wanted = query.get('artifactType');
    const filter = wanted !== null && (options.referrersFilter ?? true);
    const found: unknown[] = [];
    for (const [key, m] of manifests.get(repo) ?? []) {
      if (!key.startsWith('sha256:')) continue;
      const doc = JSON.parse(m.bytes.toString()) as {
        subject?: { digest?: string };
        artifactType?: string;
        config?: { mediaType?: string };
        annotations?: Record<string, string>;
      };
      if (doc.subject?.digest !== digest) continue;
      const artifactType = doc.artifactType ?? doc.config?.mediaType;
      if (filter && artifactType !== wanted) continue;
      found.push({
        mediaType: m.mediaType,
        digest: key,
        size: m.bytes.length,
        ...(artifactType === undefined ? {} : { artifactType }),
        ...(doc.annotations === undefined ? {} : { annotations: doc.annotations }),
      });
    }
    const start = Number(query.get('page') ?? 0);
    const size = options.referrersPageSize ?? (found.length || 1);
    const headers: Record<string, string> = { 'content-type': 'application/vnd.oci.image.index.v1+json' };
    if (filter) headers['oci-filters-applied'] = 'artifactType';
    if (start + size < found.length) {
      const more = new URLSearchParams(query);
      more.set('page', String(start + size));
      headers.link = `</v2/${repo}/referrers/${digest}?${more}>; rel="next"`;
    }
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: found.slice(start, start + size),
    };
    res.writeHead(200, headers).end(JSON.stringify(index));
  };

  const tagList = (res: ServerResponse, repo: string, query: URLSearchParams) => {
    const all = [...(manifests.get(repo)?.keys() ?? [])].filter((k) => !k.includes(':')).sort();
    const last = query.get('last');
    const after = last === null ? all : all.filter((t) => t > last);
    const size = options.tagsPageSize ?? (query.get('n') === null ? after.length : Number(query.get('n')));
    const page = after.slice(0, size);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (after.length > size && (options.tagsLink ?? true))
      headers.link = `</v2/${repo}/tags/list?n=${size}&last=${page.at(-1)}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify({ name: repo, tags: page }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => res.destroy(err as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    url,
    requests,
    blobs,
    manifests,
    addBlob,
    fail: (method, path, fault, times = 1) => faults.push({ method, path, fault, times }),
    corrupt: (digest) => corrupted.add(digest),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The request body; when the connection is cut, the error carries what arrived (`received`). */
async function body(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of req) parts.push(chunk as Buffer);
  } catch (err) {
    throw Object.assign(err as Error, { received: Buffer.concat(parts) });
  }
  return Buffer.concat(parts);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
