import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEDIA_TYPES,
  type OCIManifest,
  pushOciLayout,
  RegistryClient,
  type RepositoryName,
} from '../../src/oci/index.js';
import { larder } from '../kit/cli.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// `larder sign --format legacy` / `larder verify` (the built CLI) in cosign's legacy `.sig` layout
// against Debian's docker-registry 2.8; openssl checks a signature independently. The bundle form
// is in cli-sign-verify-bundle.test.ts.
const SIG = 'dev.cosignproject.cosign/signature';

describe('larder sign / verify with docker-registry', () => {
  let registry: LocalRegistry;
  let dir: string;
  let client: RegistryClient;
  let index: string;
  let children: string[];

  const tagOf = (digest: string) => `sha256-${digest.slice('sha256:'.length)}.sig`;
  const repoOf = (repository: string): RepositoryName => ({ registry: registry.host, repository });
  async function sigManifest(repository: string, digest: string): Promise<OCIManifest> {
    const got = await client.getManifest(repoOf(repository), tagOf(digest));
    return JSON.parse(got.bytes.toString('utf8')) as OCIManifest;
  }
  async function blobOf(repository: string, digest: string): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const c of await client.getBlob(repoOf(repository), { digest })) chunks.push(c);
    return Buffer.concat(chunks);
  }
  const key = (name: string) => join(dir, name);

  beforeAll(async () => {
    registry = await startLocalRegistry();
    dir = await tempDir();
    client = new RegistryClient();
    await writeSampleLayout(dir, { noiseSize: 5000 });
    for (const repo of ['team/app', 'team/tamper', 'team/multi', 'team/plain']) {
      await pushOciLayout(join(dir, 'layout'), `${registry.host}/${repo}:1.0`);
    }
    const top = await client.getManifest(repoOf('team/app'), '1.0');
    index = top.digest;
    children = (JSON.parse(top.bytes.toString('utf8')) as { manifests: { digest: string }[] }).manifests.map(
      (m) => m.digest,
    );
    for (const name of ['k1', 'k2']) {
      const r = larder(['keygen', '--type', 'ecdsa-p256', '--name', name, '--out', dir]);
      expect(r.status, r.stderr).toBe(0);
    }
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  it('signs, verifies, and openssl verifies the payload and signature taken from the registry', async () => {
    const ref = `${registry.host}/team/app:1.0`;
    const signed = larder(['sign', ref, '--key', key('k1.key'), '--format', 'legacy']);
    expect(signed.stderr, registry.log()).toBe('');
    expect(signed.status).toBe(0);
    const manifestDigest = (await client.getManifest(repoOf('team/app'), tagOf(index))).digest;
    expect(signed.stdout).toBe(`${index} legacy ${manifestDigest}\n`);

    const ok = larder(['verify', ref, '--key', key('k1.pub')]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(`OK legacy ${index} signed by ${key('k1.pub')}\n`);
    expect(ok.status).toBe(0);

    const manifest = await sigManifest('team/app', index);
    expect(manifest.mediaType).toBe(MEDIA_TYPES.manifest);
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.config);
    expect(manifest.layers).toHaveLength(1);
    const layer = manifest.layers[0]!;
    expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    const payload = await blobOf('team/app', layer.digest);
    expect(JSON.parse(payload.toString('utf8'))).toEqual({
      critical: {
        identity: { 'docker-reference': `${registry.host}/team/app` },
        image: { 'docker-manifest-digest': index },
        type: 'cosign container image signature',
      },
      optional: null,
    });
    await writeFile(join(dir, 'payload.json'), payload);
    await writeFile(join(dir, 'sig.der'), Buffer.from(layer.annotations![SIG]!, 'base64'));
    const openssl = execFileSync(
      'openssl',
      [
        'dgst',
        '-sha256',
        '-verify',
        key('k1.pub'),
        '-signature',
        join(dir, 'sig.der'),
        join(dir, 'payload.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(openssl.trim()).toBe('Verified OK');

    // Another key: no valid signature.
    const other = larder(['verify', ref, '--key', key('k2.pub')]);
    expect(other.status).toBe(1);
    expect(other.stdout).toBe(
      `BAD legacy ${layer.digest}: the signature does not verify over the payload with this key\n`,
    );
    expect(other.stderr).toMatch(/no valid signature by .*k2\.pub/);

    // The same key again: deduplicated; a second key: appended, and both verify.
    const again = larder(['sign', ref, '--key', key('k1.key'), '--format', 'legacy']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toBe(`${index} legacy ${manifestDigest} (already signed)\n`);
    expect((await sigManifest('team/app', index)).layers).toHaveLength(1);
    const second = larder(['sign', ref, '--key', key('k2.key'), '--format', 'legacy']);
    expect(second.status, second.stderr).toBe(0);
    const both = await sigManifest('team/app', index);
    expect(both.layers).toHaveLength(2);
    expect(both.layers[0]).toEqual(layer);
    for (const [pub, okLine] of [
      ['k1.pub', 0],
      ['k2.pub', 1],
    ] as const) {
      const r = larder(['verify', `${registry.host}/team/app@${index}`, '--key', key(pub)]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[okLine]).toBe(`OK legacy ${index} signed by ${key(pub)}`);
      expect(lines[1 - okLine]).toMatch(/^BAD legacy sha256:[0-9a-f]{64}: the signature does not verify/);
    }
  });

  it('rejects a signature manifest copied onto another digest', async () => {
    const got = await client.getManifest(repoOf('team/app'), tagOf(index));
    const b = children[0]!;
    await client.putManifest(repoOf('team/app'), tagOf(b), got.bytes, MEDIA_TYPES.manifest);
    const r = larder(['verify', `${registry.host}/team/app@${b}`, '--key', key('k1.pub')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`signs ${index}, not the image ${b}`);
    expect(r.stdout).not.toMatch(/^OK/m);
  });

  it('rejects a changed payload blob and a corrupted one', async () => {
    const ref = `${registry.host}/team/tamper:1.0`;
    expect(larder(['sign', ref, '--key', key('k1.key'), '--format', 'legacy']).status).toBe(0);
    expect(larder(['verify', ref, '--key', key('k1.pub')]).status).toBe(0);
    const repo = repoOf('team/tamper');
    const manifest = await sigManifest('team/tamper', index);
    const layer = manifest.layers[0]!;
    const payload = (await blobOf('team/tamper', layer.digest)).toString('utf8');

    // A different payload under the same signature annotation.
    const changed = Buffer.from(payload.replace('team/tamper', 'team/evil'), 'utf8');
    const { createHash } = await import('node:crypto');
    const changedDigest = `sha256:${createHash('sha256').update(changed).digest('hex')}`;
    await client.pushBlob(repo, { digest: changedDigest, size: changed.length, bytes: changed });
    const swapped = { ...manifest, layers: [{ ...layer, digest: changedDigest, size: changed.length }] };
    await client.putManifest(repo, tagOf(index), Buffer.from(JSON.stringify(swapped)), MEDIA_TYPES.manifest);
    const r = larder(['verify', ref, '--key', key('k1.pub')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      `BAD legacy ${changedDigest}: the signature does not verify over the payload with this key\n`,
    );

    // The original layer back, but its blob's bytes changed on the registry's disk.
    await client.putManifest(repo, tagOf(index), Buffer.from(JSON.stringify(manifest)), MEDIA_TYPES.manifest);
    const hex = layer.digest.slice('sha256:'.length);
    const file = join(
      registry.root,
      'docker',
      'registry',
      'v2',
      'blobs',
      'sha256',
      hex.slice(0, 2),
      hex,
      'data',
    );
    const bytes = await readFile(file);
    await writeFile(file, Buffer.from(bytes.toString('utf8').replace('team/tamper', 'team/evil!')));
    const corrupt = larder(['verify', ref, '--key', key('k1.pub')]);
    expect(corrupt.status, corrupt.stderr).toBe(1);
    expect(corrupt.stdout).toMatch(
      new RegExp(`^BAD legacy ${layer.digest}: the payload blob does not match the layer descriptor`),
    );
  });

  it('signs an index and, with --recursive, each of its manifests', async () => {
    const ref = `${registry.host}/team/multi:1.0`;
    const r = larder(['sign', ref, '--key', key('k1.key'), '--recursive', '--format', 'legacy']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual([index, ...children]);
    const tags = (await client.listTags(repoOf('team/multi'))).filter((t) => t.endsWith('.sig')).sort();
    expect(tags).toEqual([index, ...children].map(tagOf).sort());
    for (const digest of [index, ...children]) {
      const v = larder(['verify', `${registry.host}/team/multi@${digest}`, '--key', key('k1.pub')]);
      expect(v.stdout).toBe(`OK legacy ${digest} signed by ${key('k1.pub')}\n`);
      expect(v.status).toBe(0);
    }
  });

  it('exits 1 with a clear message when there is no .sig tag, 2 when the image is missing', () => {
    const r = larder(['verify', `${registry.host}/team/plain:1.0`, '--key', key('k1.pub')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `larder: no signatures for ${index}: no sigstore bundle referrers and tag ${tagOf(index)} not found\n`,
    );
    const missing = larder(['verify', `${registry.host}/team/plain:nope`, '--key', key('k1.pub')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^larder: FETCH_NOT_FOUND: /);
  });
});
