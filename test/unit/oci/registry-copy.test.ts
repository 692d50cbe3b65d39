import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { copyImage, MEDIA_TYPES, RegistryClient } from '../../../src/oci/index.js';
import { type FakeRegistry, startFakeRegistry } from '../../kit/fake-registry.js';
import { sampleBytes } from './helpers.js';

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
type Repo = { registry: string; repository: string };

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

async function fake(options: Parameters<typeof startFakeRegistry>[0] = {}): Promise<FakeRegistry> {
  const registry = await startFakeRegistry(options);
  open.push(registry);
  return registry;
}

function newClient(): RegistryClient {
  const client = new RegistryClient({ retryDelayMs: 1, chunkSize: 1024 * 1024 });
  open.push(client);
  return client;
}

/** Pushes a two-platform index (one layer 5 MB so it goes through a temp file) tagged `1.0`. */
async function pushIndex(client: RegistryClient, repo: Repo): Promise<{ digest: string; blobs: string[] }> {
  const entries = [];
  const blobs: string[] = [];
  for (const [arch, size] of [
    ['amd64', 5 * 1024 * 1024],
    ['arm64', 3000],
  ] as const) {
    const layer = sampleBytes(size, arch.length);
    const config = Buffer.from(
      JSON.stringify({ architecture: arch, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
    );
    for (const b of [layer, config]) {
      await client.pushBlob(repo, { digest: digestOf(b), size: b.length, bytes: b });
      blobs.push(digestOf(b));
    }
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        config: { mediaType: MEDIA_TYPES.config, digest: digestOf(config), size: config.length },
        layers: [{ mediaType: MEDIA_TYPES.layerGzip, digest: digestOf(layer), size: layer.length }],
      }),
    );
    await client.putManifest(repo, digestOf(manifest), manifest, MEDIA_TYPES.manifest);
    entries.push({
      mediaType: MEDIA_TYPES.manifest,
      digest: digestOf(manifest),
      size: manifest.length,
      platform: { architecture: arch, os: 'linux' },
    });
  }
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: entries }),
  );
  const digest = await client.putManifest(repo, '1.0', index, MEDIA_TYPES.index);
  return { digest, blobs };
}

const count = (registry: FakeRegistry, method: string, pattern: RegExp, query?: string) =>
  registry.requests.filter(
    (r) => r.method === method && pattern.test(r.path) && (query === undefined || r.query.has(query)),
  ).length;

describe('copyImage', () => {
  it('mounts every blob across repositories of one registry and keeps the digest and tag', async () => {
    const registry = await fake();
    const client = newClient();
    const src = { registry: registry.host, repository: 'team/src' };
    const pushed = await pushIndex(client, src);
    const result = await copyImage(`${registry.host}/team/src:1.0`, `${registry.host}/team/dst`, {
      client,
      tags: ['stable'],
    });
    expect(result).toEqual({
      digest: pushed.digest,
      mediaType: MEDIA_TYPES.index,
      manifests: 3,
      tags: ['1.0', 'stable'],
      blobs: { exists: 0, mounted: 4, uploaded: 0 },
      attached: 0,
    });
    expect(count(registry, 'GET', /\/team\/src\/blobs\/sha256/)).toBe(0);
    expect(count(registry, 'PATCH', /\/team\/dst\//) + count(registry, 'PUT', /\/team\/dst\/blobs/)).toBe(0);
    const dst = { registry: registry.host, repository: 'team/dst' };
    for (const tag of ['1.0', 'stable'])
      expect((await client.getManifest(dst, tag)).digest).toBe(pushed.digest);

    // Again: every blob is there already.
    const again = await copyImage(`${registry.host}/team/src@${pushed.digest}`, `${registry.host}/team/dst`, {
      client,
    });
    expect(again.blobs).toEqual({ exists: 4, mounted: 0, uploaded: 0 });
    expect(again.tags).toEqual([]);
  });

  it('streams verified blobs to another registry (and when a mount is declined)', async () => {
    const from = await fake();
    const to = await fake({ mount: false });
    const client = newClient();
    const pushed = await pushIndex(client, { registry: from.host, repository: 'a/img' });
    const result = await copyImage(`${from.host}/a/img:1.0`, `${to.host}/b/img:2`, { client });
    expect(result.blobs).toEqual({ exists: 0, mounted: 0, uploaded: 4 });
    expect(result.digest).toBe(pushed.digest);
    for (const digest of pushed.blobs) expect(to.blobs.has(digest)).toBe(true);
    // The 5 MB layer was streamed from the GET into one PUT (no chunks, no temp file).
    expect(count(to, 'PATCH', /uploads/)).toBe(0);

    // Same registry, mount declined (202): the session is cancelled and the bytes are sent.
    const declined = await copyImage(`${from.host}/a/img:1.0`, `${to.host}/b/img:2`, { client });
    expect(declined.blobs.exists).toBe(4);
    await pushIndex(client, { registry: to.host, repository: 'c/img' });
    const local = await copyImage(`${to.host}/c/img:1.0`, `${to.host}/d/img`, { client });
    expect(local.blobs).toEqual({ exists: 0, mounted: 0, uploaded: 4 });
    expect(count(to, 'DELETE', /uploads/)).toBe(4);
  });

  it('carries referrers (re-indexed at a registry without the API) and cosign .sig tags along', async () => {
    const from = await fake();
    const to = await fake({ referrers: false });
    const client = newClient();
    const src = { registry: from.host, repository: 'a/img' };
    const pushed = await pushIndex(client, src);
    const index = JSON.parse(from.manifests.get('a/img')!.get('1.0')!.bytes.toString());
    const child = index.manifests[1];
    const payload = Buffer.from('{"bundle":true}');
    const empty = Buffer.from('{}');
    for (const b of [payload, empty])
      await client.pushBlob(src, { digest: digestOf(b), size: b.length, bytes: b });
    const artifact = (subject: unknown, artifactType: string) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.manifest,
          artifactType,
          config: { mediaType: MEDIA_TYPES.empty, digest: digestOf(empty), size: 2 },
          layers: [{ mediaType: 'application/x.payload', digest: digestOf(payload), size: payload.length }],
          subject,
        }),
      );
    const onIndex = artifact(
      { mediaType: MEDIA_TYPES.index, digest: pushed.digest, size: 1 },
      'application/x.bundle',
    );
    const onChild = artifact(child, 'application/x.att');
    await client.pushReferrer(src, onIndex, MEDIA_TYPES.manifest);
    await client.pushReferrer(src, onChild, MEDIA_TYPES.manifest);
    const sigTag = `sha256-${pushed.digest.slice(7)}.sig`;
    const sig = artifact(undefined, 'application/x.sig');
    await client.putManifest(src, sigTag, sig, MEDIA_TYPES.manifest);

    const result = await copyImage(`${from.host}/a/img:1.0`, `${to.host}/b/img`, { client });
    expect(result.attached).toBe(3);
    const dst = { registry: to.host, repository: 'b/img' };
    expect(await client.listReferrers(dst, pushed.digest)).toEqual({
      source: 'tag',
      descriptors: [
        {
          mediaType: MEDIA_TYPES.manifest,
          digest: digestOf(onIndex),
          size: onIndex.length,
          artifactType: 'application/x.bundle',
        },
      ],
    });
    expect((await client.listReferrers(dst, child.digest)).descriptors.map((d) => d.digest)).toEqual([
      digestOf(onChild),
    ]);
    expect((await client.getManifest(dst, sigTag)).digest).toBe(digestOf(sig));
    expect(to.blobs.has(digestOf(payload))).toBe(true);

    const bare = await copyImage(`${from.host}/a/img:1.0`, `${to.host}/c/img`, { client, attached: false });
    expect(bare.attached).toBe(0);
    expect(to.manifests.get('c/img')?.has(sigTag)).toBe(false);
  });

  it('refuses corrupt source blobs and a destination naming another digest', async () => {
    const from = await fake();
    const to = await fake();
    const client = newClient();
    const pushed = await pushIndex(client, { registry: from.host, repository: 'a/img' });
    await expect(
      copyImage(`${from.host}/a/img:1.0`, `${to.host}/b/img@sha256:${'0'.repeat(64)}`, { client }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    for (const [at, name] of [
      [0, 'streamed'],
      [3, 'small'],
    ] as const) {
      const fresh = await fake();
      from.corrupt(pushed.blobs[at]!);
      await expect(
        copyImage(`${from.host}/a/img:1.0`, `${fresh.host}/b/${name}:1`, { client }),
      ).rejects.toThrow(/digest/);
      expect(fresh.manifests.get(`b/${name}`)?.has('1') ?? false).toBe(false);
      expect(fresh.blobs.has(pushed.blobs[at]!)).toBe(false);
    }
  });
});
