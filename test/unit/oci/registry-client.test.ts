import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/index.js';
import {
  MEDIA_TYPES,
  RegistryClient,
  type RegistryClientOptions,
  staticCredentials,
} from '../../../src/oci/index.js';
import { type FakeRegistry, type FakeRegistryOptions, startFakeRegistry } from '../../kit/fake-registry.js';
import { collect, rejectsWith, sampleBytes } from './helpers.js';

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

async function setup(fake: FakeRegistryOptions = {}, client: RegistryClientOptions = {}) {
  const registry = await startFakeRegistry(fake);
  const events: ProgressEvent[] = [];
  const c = new RegistryClient({ retryDelayMs: 1, onProgress: (e) => events.push(e), ...client });
  open.push(registry, c);
  return { registry, client: c, events, repo: { registry: registry.host, repository: 'team/app' } };
}

const calls = (registry: FakeRegistry, method: string, pattern: RegExp) =>
  registry.requests.filter((r) => r.method === method && pattern.test(r.path)).length;

describe('RegistryClient against the fake registry', () => {
  it('pings, pushes a blob monolithically (keeping the session query), HEADs and GETs it back', async () => {
    const { registry, client, repo } = await setup();
    await client.ping(registry.host);
    const bytes = sampleBytes(5000);
    const digest = digestOf(bytes);
    expect(await client.headBlob(repo, digest)).toBeUndefined();
    expect(await client.pushBlob(repo, { digest, size: bytes.length, bytes })).toBe('uploaded');
    expect(calls(registry, 'PATCH', /uploads/)).toBe(0);
    expect(await client.headBlob(repo, digest)).toEqual({ size: 5000 });
    expect(await collect(await client.getBlob(repo, { digest, size: 5000 }))).toEqual(bytes);
    expect(await client.pushBlob(repo, { digest, size: bytes.length, bytes })).toBe('exists');
  });

  it('uploads large blobs in chunks with Content-Range, resuming after a failed chunk', async () => {
    const { registry, client, repo, events } = await setup({}, { chunkSize: 1000, retries: 2 });
    const bytes = sampleBytes(3500, 2);
    const digest = digestOf(bytes);
    registry.fail('PATCH', /uploads/, 'reset', 1);
    expect(await client.pushBlob(repo, { digest, size: bytes.length, bytes })).toBe('uploaded');
    const ranges = registry.requests
      .filter((r) => r.method === 'PATCH')
      .map((r) => r.headers['content-range']);
    expect(ranges).toEqual(['0-999', '0-999', '1000-1999', '2000-2999', '3000-3499']);
    expect(registry.blobs.get(digest)).toEqual(bytes);
    const advances = events
      .filter((e) => e.kind === 'advance')
      .map((e) => (e.kind === 'advance' ? e.done : 0));
    expect(advances).toEqual([1000, 2000, 3000, 3500]);
  });

  it('recovers from a 416 by asking the session where it is', async () => {
    const { registry, client, repo } = await setup({}, { chunkSize: 1000 });
    const bytes = sampleBytes(2500, 3);
    const digest = digestOf(bytes);
    registry.fail('PATCH', /uploads/, { status: 416 }, 1);
    expect(await client.pushBlob(repo, { digest, size: bytes.length, bytes })).toBe('uploaded');
    expect(calls(registry, 'GET', /uploads\/u/)).toBe(1);
    expect(registry.blobs.get(digest)).toEqual(bytes);
  });

  it('mounts from another repository, and falls back to an upload when the registry answers 202', async () => {
    const { registry, client, repo } = await setup();
    const bytes = sampleBytes(100, 4);
    const digest = registry.addBlob('team/base', bytes);
    expect(await client.pushBlob(repo, { digest, size: 100, bytes }, { mountFrom: 'team/base' })).toBe(
      'mounted',
    );
    expect(calls(registry, 'PUT', /uploads/)).toBe(0);

    const other = await setup({ mount: false });
    other.registry.addBlob('team/base', bytes);
    const outcome = await other.client.pushBlob(
      other.repo,
      { digest, size: 100, bytes },
      { mountFrom: 'team/base' },
    );
    expect(outcome).toBe('uploaded');
    const post = other.registry.requests.find((r) => r.method === 'POST');
    expect(post?.query.get('mount')).toBe(digest);
    expect(post?.query.get('from')).toBe('team/base');
    expect(calls(other.registry, 'POST', /uploads/)).toBe(1);
    expect(calls(other.registry, 'PUT', /uploads/)).toBe(1);
  });

  it('retries 500, 429 (with Retry-After) and resets, warning each time', async () => {
    const { registry, client, repo, events } = await setup();
    const bytes = sampleBytes(300, 5);
    const digest = digestOf(bytes);
    registry.fail('HEAD', /blobs/, { status: 500 }, 1);
    registry.fail('POST', /uploads/, { status: 429, retryAfter: 0 }, 1);
    registry.fail('PUT', /uploads/, 'reset', 1);
    expect(await client.pushBlob(repo, { digest, size: 300, bytes })).toBe('uploaded');
    expect(registry.blobs.get(digest)).toEqual(bytes);
    expect(events.filter((e) => e.kind === 'warn')).toHaveLength(3);
  });

  it('gives up after the retries with FETCH_FAILED naming the registry, repository and status', async () => {
    const { registry, client, repo } = await setup({}, { retries: 1 });
    registry.fail('GET', /manifests/, { status: 503 }, 5);
    const err = await rejectsWith(() => client.getManifest(repo, 'v1'), 'FETCH_FAILED');
    expect(err.message).toContain(`GET manifest ${registry.host}/team/app:v1`);
    expect(err.message).toContain('HTTP 503');
    expect(calls(registry, 'GET', /manifests/)).toBe(2);
  });

  it('puts and gets manifests by tag and digest with exact bytes; 404 is FETCH_NOT_FOUND', async () => {
    const { registry, client, repo } = await setup();
    const config = registry.addBlob('team/app', Buffer.from('{}'));
    const bytes = Buffer.from(
      `{"schemaVersion":2,"mediaType":"${MEDIA_TYPES.manifest}","config":{"mediaType":"${MEDIA_TYPES.config}","digest":"${config}","size":2},"layers":[]}\n`,
    );
    const digest = await client.putManifest(repo, 'v1', bytes, MEDIA_TYPES.manifest);
    expect(digest).toBe(digestOf(bytes));
    const got = await client.getManifest(repo, 'v1');
    expect(got).toEqual({ mediaType: MEDIA_TYPES.manifest, digest, bytes });
    expect((await client.getManifest(repo, digest)).bytes).toEqual(bytes);
    expect(await client.headManifest(repo, 'v1')).toEqual({
      mediaType: MEDIA_TYPES.manifest,
      digest,
      size: bytes.length,
    });
    expect(await client.headManifest(repo, 'nope')).toBeUndefined();
    const err = await rejectsWith(() => client.getManifest(repo, 'nope'), 'FETCH_NOT_FOUND');
    expect(err.message).toContain('MANIFEST_UNKNOWN');
    const accept = registry.requests.find((r) => r.method === 'GET' && r.path.includes('manifests'))?.headers
      .accept;
    expect(accept).toContain(MEDIA_TYPES.dockerManifestList);
  });

  it('rejects a manifest whose bytes do not hash to the digest asked for', async () => {
    const { registry, client, repo } = await setup();
    const config = registry.addBlob('team/app', Buffer.from('{}'));
    const bytes = Buffer.from(
      `{"schemaVersion":2,"config":{"mediaType":"x","digest":"${config}","size":2},"layers":[]}`,
    );
    const digest = await client.putManifest(repo, 'v1', bytes, MEDIA_TYPES.manifest);
    registry.manifests
      .get('team/app')!
      .set(digest, { bytes: Buffer.from(`${bytes} `), mediaType: MEDIA_TYPES.manifest });
    const err = await rejectsWith(() => client.getManifest(repo, digest), 'FETCH_FAILED');
    expect(err.message).toContain(`expected ${digest}`);
  });

  it('fails a blob download whose content does not match its digest', async () => {
    const { registry, client, repo } = await setup();
    const digest = registry.addBlob('team/app', sampleBytes(64, 6));
    registry.corrupt(digest);
    const err = await rejectsWith(
      async () => collect(await client.getBlob(repo, { digest, size: 64 })),
      'FETCH_FAILED',
    );
    expect(err.message).toContain(`expected 64 bytes with ${digest}`);
  });

  it('lists tags across pages', async () => {
    const { registry, client, repo } = await setup({ tagsPageSize: 2 });
    const config = registry.addBlob('team/app', Buffer.from('{}'));
    const bytes = Buffer.from(
      `{"schemaVersion":2,"config":{"mediaType":"x","digest":"${config}","size":2},"layers":[]}`,
    );
    for (const tag of ['c', 'a', 'e', 'b', 'd'])
      await client.putManifest(repo, tag, bytes, MEDIA_TYPES.manifest);
    expect(await client.listTags(repo)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls(registry, 'GET', /tags\/list/)).toBe(3);
  });
});

describe('RegistryClient authentication', () => {
  it('Basic: answers the challenge with credentials, then sends them up front', async () => {
    const { registry, client, repo } = await setup(
      { auth: 'basic', users: { alice: 's3cret' } },
      { auth: async () => ({ kind: 'basic', username: 'alice', password: 's3cret' }) },
    );
    await client.ping(registry.host);
    expect(await client.headBlob(repo, digestOf(Buffer.from('x')))).toBeUndefined();
    expect(registry.requests.map((r) => r.authorization)).toEqual([
      undefined,
      'Basic YWxpY2U6czNjcmV0',
      'Basic YWxpY2U6czNjcmV0',
    ]);
  });

  it('Basic without credentials is FETCH_UNAUTHORIZED', async () => {
    const { registry, client } = await setup({ auth: 'basic', users: { alice: 's3cret' } });
    const err = await rejectsWith(() => client.ping(registry.host), 'FETCH_UNAUTHORIZED');
    expect(err.message).toContain('HTTP 401');
  });

  it('Bearer: fetches a token per scope with Basic credentials and caches it', async () => {
    const { registry, client, repo } = await setup(
      { auth: 'bearer', users: { alice: 's3cret' } },
      { auth: staticCredentials({}, async () => ({ kind: 'basic', username: 'alice', password: 's3cret' })) },
    );
    const bytes = sampleBytes(200, 7);
    const digest = digestOf(bytes);
    expect(await client.pushBlob(repo, { digest, size: 200, bytes })).toBe('uploaded');
    expect(await client.headBlob(repo, digest)).toEqual({ size: 200 });
    expect(await collect(await client.getBlob(repo, { digest }))).toEqual(bytes);
    expect(await client.headBlob(repo, digest)).toEqual({ size: 200 });
    const tokenRequests = registry.requests.filter((r) => r.path === '/token');
    // One token for pull,push (HEAD, POST, PUT of the push), one for pull (later HEADs and GET).
    expect(tokenRequests.map((r) => r.query.getAll('scope'))).toEqual([
      ['repository:team/app:pull,push'],
      ['repository:team/app:pull'],
    ]);
    expect(tokenRequests.every((r) => r.query.get('service') === 'fake-registry')).toBe(true);
    expect(tokenRequests[0]!.authorization).toBe('Basic YWxpY2U6czNjcmV0');
    const unauthorized = registry.requests.filter(
      (r) => r.path !== '/token' && r.authorization === undefined,
    );
    expect(unauthorized).toHaveLength(1);
  });

  it('Bearer: asks for the mount source scope too', async () => {
    const { registry, client, repo } = await setup({ auth: 'bearer' });
    const bytes = sampleBytes(10, 8);
    const digest = registry.addBlob('team/base', bytes);
    expect(await client.pushBlob(repo, { digest, size: 10, bytes }, { mountFrom: 'team/base' })).toBe(
      'mounted',
    );
    const scopes = registry.requests.filter((r) => r.path === '/token').map((r) => r.query.getAll('scope'));
    expect(scopes.at(-1)).toEqual(['repository:team/app:pull,push', 'repository:team/base:pull']);
  });

  it('Bearer with an identity token uses the OAuth2 refresh-token POST', async () => {
    const { registry, client, repo } = await setup(
      { auth: 'bearer', identityToken: 'refresh-1' },
      { auth: async () => ({ kind: 'identity-token', token: 'refresh-1' }) },
    );
    expect(await client.headBlob(repo, digestOf(Buffer.from('y')))).toBeUndefined();
    const token = registry.requests.find((r) => r.path === '/token');
    expect(token?.method).toBe('POST');
  });

  it('Bearer: refused credentials are FETCH_UNAUTHORIZED naming the realm and scope', async () => {
    const { registry, client, repo } = await setup(
      { auth: 'bearer', users: { alice: 's3cret' } },
      { auth: async () => ({ kind: 'basic', username: 'alice', password: 'wrong' }) },
    );
    const err = await rejectsWith(
      () => client.headBlob(repo, digestOf(Buffer.from('z'))),
      'FETCH_UNAUTHORIZED',
    );
    expect(err.message).toContain(`${registry.url}/token`);
    expect(err.message).toContain('repository:team/app:pull');
  });

  it('Bearer: a token that still gets 401 is FETCH_UNAUTHORIZED with the realm and scope tried', async () => {
    const { registry, client, repo } = await setup({ auth: 'bearer' });
    await client.ping(registry.host);
    registry.fail('HEAD', /blobs/, { status: 401 }, 5);
    const err = await rejectsWith(
      () => client.headBlob(repo, digestOf(Buffer.from('w'))),
      'FETCH_UNAUTHORIZED',
    );
    expect(err.message).toContain(`realm ${registry.url}/token`);
    expect(err.message).toContain('scope repository:team/app:pull');
  });
});
