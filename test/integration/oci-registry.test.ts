import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../src/core/index.js';
import {
  MEDIA_TYPES,
  type OCILayoutResult,
  pullToOciLayout,
  pushOciLayout,
  RegistryClient,
  readOciLayout,
} from '../../src/oci/index.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';
import { sampleBytes } from '../unit/oci/helpers.js';

// Real peers: Debian's docker-registry 2.8 (distribution) and skopeo 1.9 read what we push.
function run(args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('registry client with docker-registry and skopeo', () => {
  let registry: LocalRegistry;
  let dir: string;
  let layout: string;
  let written: OCILayoutResult;
  let events: ProgressEvent[];
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    dir = await tempDir();
    ({ layout, written } = await writeSampleLayout(dir, {
      refName: 'test',
      layers: (arch) => [
        [
          { name: 'etc/' },
          { name: 'etc/hello', data: Buffer.from(`hello ${arch}\n`) },
          // Incompressible bytes so the layer is large enough for several upload chunks.
          { name: 'etc/noise', data: sampleBytes(300_000, arch.length) },
        ],
      ],
    }));
    events = [];
    // A small chunk size sends the layers in several PATCHes.
    client = new RegistryClient({ chunkSize: 64 * 1024, onProgress: (e) => events.push(e) });
  });

  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  it('pushes a 2-arch layout under two tags; skopeo inspect reports our digests', async () => {
    const digest = await pushOciLayout(layout, `${registry.host}/x:t`, { tags: ['t2'], client });
    expect(digest).toBe(written.index.digest);
    // Each layer went in several chunks (PATCH with Content-Range), then a closing PUT.
    const partial = events.filter(
      (e) => e.kind === 'advance' && e.task.startsWith('push ') && e.done < (e.total ?? 0),
    );
    expect(partial.length).toBeGreaterThanOrEqual(2);
    const raw = JSON.parse(run(['inspect', '--tls-verify=false', '--raw', `docker://${registry.host}/x:t2`]));
    expect(raw.mediaType).toBe(MEDIA_TYPES.index);
    expect(raw.manifests.map((m: { digest: string }) => m.digest)).toEqual(
      written.images.map((i) => i.manifest.digest),
    );
    const inspected = JSON.parse(
      run(['inspect', '--tls-verify=false', '--override-arch', 'arm64', `docker://${registry.host}/x:t`]),
    );
    expect(inspected.Digest).toBe(written.index.digest);
    expect(inspected.Architecture).toBe('arm64');
    expect([...inspected.RepoTags].sort()).toEqual(['t', 't2']);
    expect(await client.listTags({ registry: registry.host, repository: 'x' })).toEqual(['t', 't2']);
  });

  it('skopeo copy --all --preserve-digests to a layout gets identical digests', async () => {
    const other = join(dir, 'skopeo-copy');
    run([
      'copy',
      '--all',
      '--preserve-digests',
      '--src-tls-verify=false',
      `docker://${registry.host}/x:t`,
      `oci:${other}:t`,
    ]);
    const copy = await readOciLayout(other);
    expect(copy.entries[0]!.descriptor.digest).toBe(written.index.digest);
    expect(copy.entries[0]!.images.map((i) => i.descriptor.digest)).toEqual(
      written.images.map((i) => i.manifest.digest),
    );
  });

  it('pulls it back with pullToOciLayout, every digest equal', async () => {
    const out = join(dir, 'pulled');
    const pulled = await pullToOciLayout(`${registry.host}/x:t`, out, { client });
    expect(pulled.descriptor.digest).toBe(written.index.digest);
    const copy = await readOciLayout(out);
    const original = await readOciLayout(layout);
    const digests = (c: typeof copy) =>
      c.entries[0]!.images.flatMap((i) => [
        i.descriptor.digest,
        i.manifest.config.digest,
        ...i.manifest.layers.map((l) => l.digest),
      ]);
    expect(digests(copy)).toEqual(digests(original));
  });

  it('pushing again uploads no blob (every HEAD hits)', async () => {
    events.length = 0;
    expect(await pushOciLayout(layout, `${registry.host}/x:t`, { client })).toBe(written.index.digest);
    expect(events.filter((e) => e.kind === 'start' && e.task.startsWith('push '))).toEqual([]);
  });

  it('mounts blobs into another repository instead of uploading them', async () => {
    events.length = 0;
    const digest = await pushOciLayout(layout, `${registry.host}/y:t`, { client, mountFrom: 'x' });
    expect(digest).toBe(written.index.digest);
    expect(events.filter((e) => e.kind === 'advance' && e.task.startsWith('push '))).toEqual([]);
    const raw = JSON.parse(run(['inspect', '--tls-verify=false', '--raw', `docker://${registry.host}/y:t`]));
    expect(raw.manifests).toHaveLength(2);
  });

  it('a missing tag is FETCH_NOT_FOUND naming the registry, repository and reference', async () => {
    await expect(
      client.getManifest({ registry: registry.host, repository: 'x' }, 'nope'),
    ).rejects.toMatchObject({
      code: 'FETCH_NOT_FOUND',
      message: expect.stringContaining(`${registry.host}/x:nope: HTTP 404 (MANIFEST_UNKNOWN`),
    });
  });
});
