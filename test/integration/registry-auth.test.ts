import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerConfigCredentials,
  pullToOciLayout,
  pushOciLayout,
  RegistryClient,
} from '../../src/oci/index.js';
import { larderAsync as cliAsync, larder } from '../kit/cli.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { ROOT, shared, tempDir } from '../kit/paths.js';
import {
  type LocalRegistry,
  REGISTRY_USERS,
  type RegistryAuthMode,
  startLocalRegistry,
  writeDockerConfig,
} from '../kit/registry.js';
import { sampleBytes } from '../unit/oci/helpers.js';

// Debian's docker-registry 2.8 in its three auth modes: none, htpasswd Basic auth, and bearer
// tokens from test/kit/token-server.ts. The library and the built CLI (credentials from
// DOCKER_CONFIG) push, pull, copy, sign, verify and catalog; skopeo reads back with its own
// credentials; failures (no credentials, a wrong password, a pull-only user pushing) say which
// registry and what was tried.
const MODES: readonly RegistryAuthMode[] = ['none', 'htpasswd', 'token'];
/** The peer of `image copy`: a registry in another mode. */
const PEER: Record<RegistryAuthMode, RegistryAuthMode> = {
  none: 'htpasswd',
  htpasswd: 'token',
  token: 'none',
};
const { alice, bob } = REGISTRY_USERS;

let work: string;
let layout: string;
/** Layer blobs in `layout` besides configs and manifests. */
const LAYERS = 6;

beforeAll(async () => {
  work = await tempDir('larder-auth-');
  // Two platforms, three distinct layers each: 6 layers + 2 configs + 2 manifests + an index.
  ({ layout } = await writeSampleLayout(work, {
    layers: (_arch, i) =>
      Array.from({ length: LAYERS / 2 }, (_, l) => [
        { name: `etc/noise-${l}`, data: sampleBytes(3000 + l, 10 * i + l + 1) },
      ]),
  }));
  // An apko workspace for `image publish` (as test/integration/image-publish.test.ts sets up).
  await mkdir(join(work, 'apko', 'testdata'), { recursive: true });
  await symlink(
    shared('keys', 'melange', 'melange.rsa.pub'),
    join(work, 'apko', 'testdata', 'melange.rsa.pub'),
  );
  await symlink(shared('repo', 'melange-test'), join(work, 'apko', 'testdata', 'packages'));
  await writeFile(join(work, 'apko', 'apko.yaml'), await readFile(shared('apko', 'apko.yaml')));
  const keys = larder(['keygen', '--type', 'ecdsa-p256', '--name', 'k', '--out', work]);
  expect(keys.status, keys.stderr).toBe(0);
});

const run = promisify(execFile);

const larderAsync = (args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT) =>
  cliAsync(args, { env, cwd });

/** skopeo's stdout (as bytes), asynchronously for the same reason. */
async function skopeo(args: readonly string[]): Promise<Buffer> {
  const { stdout } = await run('skopeo', args, { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

describe.each(MODES)('docker-registry with %s auth', (mode) => {
  let registry: LocalRegistry;
  let peer: LocalRegistry;
  let dir: string;
  /** DOCKER_CONFIG directories. */
  const config = { alice: '', bob: '', wrong: '', empty: '', identity: '' };
  let client: RegistryClient;
  let pushed: string;

  const ref = (repository: string, tag = '1') => `${registry.host}/${repository}:${tag}`;
  /** skopeo's credential option for a registry, none for the anonymous one. */
  const creds = (r: LocalRegistry, flag: string) =>
    r.auth === 'none' ? [] : [flag, `alice:${alice.password}`];
  const cli = (args: string[], as: keyof typeof config = 'alice') =>
    larderAsync(
      args,
      { DOCKER_CONFIG: config[as], HOME: dir, SOURCE_DATE_EPOCH: '1700000000' },
      join(work, 'apko'),
    );

  beforeAll(async () => {
    [registry, peer] = await Promise.all([
      startLocalRegistry({ auth: mode }),
      startLocalRegistry({ auth: PEER[mode] }),
    ]);
    dir = await tempDir('larder-auth-mode-');
    const a = { user: 'alice', password: alice.password };
    config.alice = await writeDockerConfig(join(dir, 'alice'), { [registry.host]: a, [peer.host]: a });
    config.bob = await writeDockerConfig(join(dir, 'bob'), {
      [registry.host]: { user: 'bob', password: bob.password },
    });
    config.wrong = await writeDockerConfig(join(dir, 'wrong'), {
      [registry.host]: { user: 'alice', password: 'not-her-password' },
    });
    config.empty = await writeDockerConfig(join(dir, 'empty'), {});
    config.identity = await writeDockerConfig(join(dir, 'identity'), {
      [registry.host]: { identityToken: alice.refreshToken },
    });
    client = new RegistryClient({
      auth: dockerConfigCredentials({ path: join(config.alice, 'config.json') }),
    });
    pushed = await pushOciLayout(layout, ref('team/app'), { client });
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all([registry?.stop(), peer?.stop()]);
  });

  it('the library pushes a layout and pulls it back; skopeo reads the same digest', async () => {
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    expect(pushed).toBe(index.manifests[0]!.digest);
    const pulled = await pullToOciLayout(ref('team/app'), join(dir, 'pulled'), { client });
    expect(pulled.descriptor.digest).toBe(pushed);
    expect(pulled.blobs).toBe(LAYERS + 2);
    const raw = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...creds(registry, '--creds'),
      `docker://${ref('team/app')}`,
    ]);
    expect(sha256(raw)).toBe(pushed);
  });

  it('the CLI pushes a layout with the digest the library pushed', async () => {
    const target = ref('cli/pushed');
    const r = await cli(['image', 'push', layout, target]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pushed);
    const raw = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...creds(registry, '--creds'),
      `docker://${target}`,
    ]);
    expect(sha256(raw)).toBe(pushed);
  });

  it('the CLI publishes (signed, attested), pulls, catalogs, signs and verifies with credentials from DOCKER_CONFIG', async () => {
    const target = ref('larder/test');
    const published = await cli([
      'image',
      'publish',
      'apko.yaml',
      target,
      '--state-dir',
      join(work, 'state'),
      '--key',
      join(work, 'k.key'),
      '--attest',
    ]);
    expect(published.stderr, registry.log()).toBe('');
    expect(published.status).toBe(0);
    const digest = published.stdout.trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const pulled = await cli(['image', 'pull', target, '-o', join(dir, 'cli-pulled')]);
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout.trim()).toBe(digest);
    const back = join(dir, 'skopeo-back');
    await skopeo([
      'copy',
      '--all',
      '--preserve-digests',
      '--src-tls-verify=false',
      ...creds(registry, '--src-creds'),
      `docker://${target}`,
      `oci:${back}:t`,
    ]);
    const copied = JSON.parse(await readFile(join(back, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    expect(copied.manifests.map((m) => m.digest)).toEqual([digest]);

    const catalog = await cli(['catalog', `registry:${target}`, '--json', '--platform', 'linux/amd64']);
    expect(catalog.status, catalog.stderr).toBe(0);
    const doc = JSON.parse(catalog.stdout) as { source: { digest?: string }; packages: unknown[] };
    expect(doc.packages.length).toBeGreaterThan(0);

    const attested = await cli([
      'verify-attestation',
      target,
      '--type',
      'slsaprovenance1',
      '--key',
      join(work, 'k.pub'),
    ]);
    expect(attested.status, attested.stderr).toBe(0);
    const statement = JSON.parse(attested.stdout.split('\n')[0]!) as {
      subject: { digest: { sha256: string } }[];
    };
    expect(statement.subject.map((x) => `sha256:${x.digest.sha256}`)).toContain(digest);

    const signed = await cli(['sign', target, '--key', join(work, 'k.key')]);
    expect(signed.status, signed.stderr).toBe(0);
    const verified = await cli(['verify', target, '--key', join(work, 'k.pub')]);
    expect(verified.status, verified.stderr).toBe(0);
    // The signature is stored where cosign looks, readable with the registry's own credentials.
    const sigTag = `sha256-${digest.slice('sha256:'.length)}.sig`;
    await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...creds(registry, '--creds'),
      `docker://${registry.host}/larder/test:${sigTag}`,
    ]);
  });

  it(`image copy to a registry with ${PEER[mode]} auth keeps the digest`, async () => {
    const target = `${peer.host}/mirror/app:1`;
    const copied = await cli(['image', 'copy', ref('team/app'), target]);
    expect(copied.stderr).toBe('');
    expect(copied.status).toBe(0);
    expect(copied.stdout.trim()).toBe(pushed);
    const raw = await skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      ...creds(peer, '--creds'),
      `docker://${target}`,
    ]);
    expect(sha256(raw)).toBe(pushed);
  });

  if (mode === 'none') return;

  it('without credentials: exit 2 naming the registry, what was tried and where credentials were looked for', async () => {
    const r = await cli(['image', 'pull', ref('team/app'), '-o', join(dir, 'anon')], 'empty');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('larder: FETCH_UNAUTHORIZED:');
    expect(r.stderr).toContain(registry.host);
    expect(r.stderr).toContain(
      `anonymously (no credentials for ${registry.host} in ${join(config.empty, 'config.json')})`,
    );
    if (mode === 'token')
      expect(r.stderr).toContain(`bearer token from realm ${registry.tokenServer!.realm}`);
    else expect(r.stderr).toContain(`GET manifest ${ref('team/app')}: unauthorized anonymously`);
  });

  it('a wrong password: exit 2 saying as whom, without the password', async () => {
    const r = await cli(['image', 'pull', ref('team/app'), '-o', join(dir, 'wrong')], 'wrong');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('larder: FETCH_UNAUTHORIZED:');
    expect(r.stderr).not.toContain('not-her-password');
    if (mode === 'token') {
      expect(r.stderr).toContain(
        `cannot get a token for ${registry.host} from ${registry.tokenServer!.realm}`,
      );
      expect(r.stderr).toContain('as user alice): HTTP 401');
    } else {
      expect(r.stderr).toContain('with Basic auth as user alice');
    }
  });

  if (mode !== 'token') return;

  it('bob may pull but not push: the push is denied naming the scope and the user', async () => {
    const pulled = await cli(['image', 'pull', ref('team/app'), '-o', join(dir, 'bob-pulled')], 'bob');
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout.trim()).toBe(pushed);
    const r = await cli(['image', 'copy', ref('team/app'), ref('team/bob')], 'bob');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('larder: FETCH_UNAUTHORIZED:');
    expect(r.stderr).toContain(`${registry.host}/team/bob`);
    // Copying within a registry mounts first; a refused mount falls back to a plain upload,
    // and that is what is denied: the error names its scope and what the token granted.
    expect(r.stderr).toContain('POST upload of sha256:');
    expect(r.stderr).toContain('for scope repository:team/bob:pull,push, as user bob');
    expect(r.stderr).toContain('the token grants only repository:team/bob:pull');
  });

  it('mounts across repositories with one token for both scopes', async () => {
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    const manifestDigest = index.manifests[0]!.digest;
    const top = JSON.parse(
      await readFile(join(layout, 'blobs', 'sha256', manifestDigest.slice('sha256:'.length)), 'utf8'),
    ) as { manifests: { digest: string }[] };
    const first = JSON.parse(
      await readFile(
        join(layout, 'blobs', 'sha256', top.manifests[0]!.digest.slice('sha256:'.length)),
        'utf8',
      ),
    ) as { layers: { digest: string; size: number }[] };
    const layer = first.layers[0]!;
    const before = registry.tokenServer!.requests.length;
    const target = { registry: registry.host, repository: 'team/mounted' };
    const path = join(layout, 'blobs', 'sha256', layer.digest.slice('sha256:'.length));
    expect(await client.pushBlob(target, { ...layer, path }, { mountFrom: 'team/app' })).toBe('mounted');
    const asked = registry.tokenServer!.requests.slice(before);
    expect(
      asked.some(
        (r) =>
          r.scopes.includes('repository:team/app:pull') &&
          r.scopes.includes('repository:team/mounted:pull,push'),
      ),
    ).toBe(true);
    expect(await client.headBlob(target, layer.digest)).toEqual({ size: layer.size });
  });

  it('caches tokens: pushing every blob of the layout fetches one token per scope set', async () => {
    const fresh = new RegistryClient({
      auth: dockerConfigCredentials({ path: join(config.alice, 'config.json') }),
      parallel: 4,
    });
    try {
      const before = registry.tokenServer!.requests.length;
      expect(await pushOciLayout(layout, ref('team/cached'), { client: fresh })).toBe(pushed);
      const asked = registry.tokenServer!.requests.slice(before);
      // 8 blobs (HEAD, POST, PUT each) and 3 manifests: 30-odd requests, one scope set.
      expect(asked.map((r) => r.scopes.join(' '))).toEqual(['repository:team/cached:pull,push']);
    } finally {
      await fresh.close();
    }
  });

  it('trades an identity token (OAuth2 refresh token) for access tokens by POST', async () => {
    const before = registry.tokenServer!.requests.length;
    const r = await cli(['image', 'pull', ref('team/app'), '-o', join(dir, 'identity-pulled')], 'identity');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(pushed);
    const asked = registry.tokenServer!.requests.slice(before);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.every((q) => q.method === 'POST' && q.user === 'alice' && q.status === 200)).toBe(true);
  });
});
