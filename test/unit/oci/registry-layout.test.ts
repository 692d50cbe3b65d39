import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/index.js';
import {
  type ImageInput,
  MEDIA_TYPES,
  platformFor,
  pullToOciLayout,
  pushOciLayout,
  RegistryClient,
  readOciLayout,
  writeLayerBlob,
  writeOciLayout,
} from '../../../src/oci/index.js';
import { type FakeRegistry, startFakeRegistry } from '../../kit/fake-registry.js';
import { tempDir } from '../../kit/paths.js';
import { helloTar, rejectsWith } from './helpers.js';

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

async function twoArchLayout(): Promise<{ dir: string; out: string; indexDigest: string }> {
  const dir = await tempDir();
  const images: ImageInput[] = [];
  for (const arch of ['x86_64', 'aarch64']) {
    const blob = await writeLayerBlob([helloTar(`hello from ${arch}`)], { blobsDir: join(dir, 'staging') });
    images.push({
      platform: platformFor(arch),
      config: { created: '2024-01-01T00:00:00Z', config: { Cmd: ['/bin/sh'] } },
      layers: [{ ...blob, blobPath: blob.path }],
    });
  }
  const out = join(dir, 'layout');
  const written = await writeOciLayout(out, { images, refName: 'test' });
  return { dir, out, indexDigest: written.index.digest };
}

async function setup(options: { bearer?: boolean } = {}) {
  const registry = await startFakeRegistry(options.bearer ? { auth: 'bearer' } : {});
  const events: ProgressEvent[] = [];
  const client = new RegistryClient({ retryDelayMs: 1, onProgress: (e) => events.push(e) });
  open.push(registry, client);
  return { registry, client, events };
}

const uploads = (registry: FakeRegistry) => registry.requests.filter((r) => r.method === 'POST').length;

describe('pushOciLayout and pullToOciLayout against the fake registry', () => {
  it('pushes blobs, manifests, then the index under every tag; a second push uploads nothing', async () => {
    const { out, indexDigest } = await twoArchLayout();
    const { registry, client } = await setup({ bearer: true });
    const ref = `${registry.host}/team/app:v1`;
    expect(await pushOciLayout(out, ref, { tags: ['latest', 'v1'], client })).toBe(indexDigest);
    const puts = registry.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'));
    expect(puts.map((r) => r.path.split('/').at(-1))).toEqual([
      expect.stringMatching(/^sha256:/),
      expect.stringMatching(/^sha256:/),
      'v1',
      'latest',
    ]);
    expect(puts.at(-1)?.headers['content-type']).toBe(MEDIA_TYPES.index);
    expect(uploads(registry)).toBe(4); // two configs, two layers
    const stored = registry.manifests.get('team/app')!;
    expect(stored.get('latest')!.bytes).toEqual(
      await readFile(join(out, 'blobs', 'sha256', indexDigest.slice(7))),
    );
    expect(await client.listTags({ registry: registry.host, repository: 'team/app' })).toEqual([
      'latest',
      'v1',
    ]);

    const before = uploads(registry);
    expect(await pushOciLayout(out, ref, { client })).toBe(indexDigest);
    expect(uploads(registry)).toBe(before);
  });

  it('pulls the image back into a layout with identical digests', async () => {
    const { out, dir, indexDigest } = await twoArchLayout();
    const { registry, client } = await setup();
    const ref = `${registry.host}/team/app:v1`;
    await pushOciLayout(out, ref, { client });
    const pulled = await pullToOciLayout(ref, join(dir, 'pulled'), { client });
    expect(pulled).toMatchObject({
      descriptor: { digest: indexDigest, mediaType: MEDIA_TYPES.index },
      manifests: 3,
      blobs: 4,
    });
    const original = await readOciLayout(out);
    const copy = await readOciLayout(join(dir, 'pulled'));
    expect(copy.entries[0]!.refName).toBe('v1');
    expect(copy.entries[0]!.descriptor.digest).toBe(indexDigest);
    expect(copy.entries[0]!.images.map((i) => i.descriptor.digest)).toEqual(
      original.entries[0]!.images.map((i) => i.descriptor.digest),
    );
  });

  it('retries a blob download that is cut, and refuses a corrupted blob without leaving output', async () => {
    const { out, dir } = await twoArchLayout();
    const { registry, client } = await setup();
    const ref = `${registry.host}/team/app:v1`;
    await pushOciLayout(out, ref, { client });
    registry.fail('GET', /\/blobs\/sha256:/, 'reset', 1);
    await pullToOciLayout(ref, join(dir, 'retried'), { client });
    const layer = (await readOciLayout(out)).entries[0]!.images[0]!.manifest.layers[0]!;
    registry.corrupt(layer.digest);
    const err = await rejectsWith(() => pullToOciLayout(ref, join(dir, 'bad'), { client }), 'FETCH_FAILED');
    expect(err.message).toContain(layer.digest);
    await expect(access(join(dir, 'bad'))).rejects.toThrow();
  });

  it('a reference with another digest, or a layout with a missing blob, is refused before pushing', async () => {
    const { out, indexDigest } = await twoArchLayout();
    const { registry, client } = await setup();
    const wrong = `sha256:${'0'.repeat(64)}`;
    await rejectsWith(() => pushOciLayout(out, `${registry.host}/team/app@${wrong}`, { client }), 'USAGE');
    const layout = await readOciLayout(out);
    const { rm } = await import('node:fs/promises');
    await rm(join(out, 'blobs', 'sha256', layout.entries[0]!.images[1]!.manifest.layers[0]!.digest.slice(7)));
    await rejectsWith(
      () => pushOciLayout(out, `${registry.host}/team/app@${indexDigest}`, { client }),
      'CONFIG_INVALID',
    );
    expect(registry.requests).toEqual([]);
  });
});
