import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ANNOTATIONS,
  type ImageInput,
  MEDIA_TYPES,
  platformFor,
  readOciLayout,
  writeLayerBlob,
  writeOciLayout,
} from '../../../src/oci/index.js';
import { tempDir } from '../../kit/paths.js';
import { helloTar, rejectsWith } from './helpers.js';

async function images(dir: string, archs: string[]): Promise<ImageInput[]> {
  const out: ImageInput[] = [];
  for (const arch of archs) {
    const blob = await writeLayerBlob([helloTar(`hello ${arch}`)], { blobsDir: join(dir, 'staging') });
    out.push({
      platform: platformFor(arch),
      config: {
        created: '2024-01-01T00:00:00Z',
        config: { Env: ['PATH=/usr/bin:/bin'], Cmd: ['/bin/sh'], Labels: { arch } },
        history: [{ created: '2024-01-01T00:00:00Z', created_by: 'larder' }],
      },
      layers: [{ ...blob, blobPath: blob.path }],
      annotations: { 'org.example.arch': arch },
    });
  }
  return out;
}

describe('writeOciLayout', () => {
  it('writes index.json → image index → one manifest per platform, and reads back verified', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const written = await writeOciLayout(out, {
      images: await images(dir, ['x86_64', 'aarch64']),
      indexAnnotations: { [ANNOTATIONS.created]: '2024-01-01T00:00:00Z' },
      refName: 'latest',
    });
    expect(await readFile(join(out, 'oci-layout'), 'utf8')).toBe('{"imageLayoutVersion":"1.0.0"}');
    const read = await readOciLayout(out);
    expect(read.entries.map((e) => e.refName)).toEqual(['latest', 'latest-amd64', 'latest-arm64']);
    const [top] = read.entries;
    expect(top!.descriptor).toEqual(written.index);
    expect(top!.descriptor.mediaType).toBe(MEDIA_TYPES.index);
    expect(top!.index?.annotations).toEqual({ [ANNOTATIONS.created]: '2024-01-01T00:00:00Z' });
    expect(top!.images.map((i) => i.config.architecture)).toEqual(['amd64', 'arm64']);
    expect(top!.images.map((i) => i.descriptor)).toEqual(written.images.map((i) => i.manifest));
    const amd64 = top!.images[0]!;
    expect(amd64.manifest.config.digest).toBe(written.images[0]!.config.digest);
    expect(amd64.config.rootfs.diff_ids).toHaveLength(1);
    expect(amd64.config.config?.Labels).toEqual({ arch: 'x86_64' });
    expect(amd64.manifest.annotations).toEqual({ 'org.example.arch': 'x86_64' });
    // 2 layers + 2 configs + 2 manifests + 1 index
    expect(await readdir(join(out, 'blobs', 'sha256'))).toHaveLength(7);
    expect(await readdir(dir)).toEqual(['out', 'staging']);
  });

  it('is deterministic and sorts platforms', async () => {
    const dir = await tempDir();
    const a = await writeOciLayout(join(dir, 'a'), {
      images: await images(dir, ['armv7', 'x86_64', 'aarch64']),
    });
    const b = await writeOciLayout(join(dir, 'b'), {
      images: await images(dir, ['aarch64', 'x86_64', 'armv7']),
    });
    expect(b.index.digest).toBe(a.index.digest);
    expect(a.images.map((i) => i.manifest.platform)).toEqual([
      platformFor('x86_64'),
      platformFor('armv7'),
      platformFor('aarch64'),
    ]);
    expect(a.entries).toHaveLength(1);
  });

  it('writes a single platform as an index too, with no per-platform names', async () => {
    const dir = await tempDir();
    const written = await writeOciLayout(join(dir, 'out'), {
      images: await images(dir, ['x86_64']),
      refName: 'v1',
    });
    expect(written.entries).toEqual([written.index]);
    const read = await readOciLayout(join(dir, 'out'));
    expect(read.entries[0]!.images).toHaveLength(1);
  });

  it('replaces a previous layout atomically and leaves no temporary directories', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const first = await writeOciLayout(out, { images: await images(dir, ['x86_64']), refName: 'one' });
    const second = await writeOciLayout(out, { images: await images(dir, ['aarch64']), refName: 'two' });
    expect(second.index.digest).not.toBe(first.index.digest);
    expect(await readdir(dir)).toEqual(['out', 'staging']);
    const read = await readOciLayout(out);
    expect(read.entries.map((e) => e.refName)).toEqual(['two']);
    // The old layout's blobs are gone with it.
    expect(await readdir(join(out, 'blobs', 'sha256'))).toHaveLength(4);
  });

  it('refuses to replace a directory that is not a layout, and a file', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'home'));
    await writeFile(join(dir, 'home', 'precious'), 'x');
    await writeFile(join(dir, 'file'), 'x');
    const imgs = await images(dir, ['x86_64']);
    const err = await rejectsWith(() => writeOciLayout(join(dir, 'home'), { images: imgs }), 'USAGE');
    expect(err.message).toContain('not an OCI layout');
    await rejectsWith(() => writeOciLayout(join(dir, 'file'), { images: imgs }), 'USAGE');
    expect(await readdir(join(dir, 'home'))).toEqual(['precious']);
    expect((await readdir(dir)).sort()).toEqual(['file', 'home', 'staging']);
  });

  it('leaves nothing behind when a layer is wrong', async () => {
    const dir = await tempDir();
    const [image] = await images(dir, ['x86_64']);
    const layer = image!.layers[0]!;
    const bad: ImageInput = { ...image!, layers: [{ ...layer, size: layer.size + 1 }] };
    await rejectsWith(() => writeOciLayout(join(dir, 'out'), { images: [bad] }), 'USAGE');
    const badBytes: ImageInput = {
      ...image!,
      layers: [{ bytes: Buffer.from('x'), digest: layer.digest, size: 1, diffId: layer.diffId }],
    };
    await rejectsWith(() => writeOciLayout(join(dir, 'out'), { images: [badBytes] }), 'USAGE');
    expect(await readdir(dir)).toEqual(['staging']);
  });

  it('rejects duplicate platforms, bad ref names and history that does not match the layers', async () => {
    const dir = await tempDir();
    const [a] = await images(dir, ['x86_64']);
    await rejectsWith(() => writeOciLayout(join(dir, 'o'), { images: [a!, a!] }), 'USAGE');
    await rejectsWith(() => writeOciLayout(join(dir, 'o'), { images: [a!], refName: 'bad name' }), 'USAGE');
    await rejectsWith(() => writeOciLayout(join(dir, 'o'), { images: [] }), 'USAGE');
    const history = [{ created_by: 'a' }, { created_by: 'b' }];
    await rejectsWith(
      () => writeOciLayout(join(dir, 'o'), { images: [{ ...a!, config: { history } }] }),
      'USAGE',
    );
  });
});

describe('readOciLayout', () => {
  async function layout(): Promise<{ out: string; layer: string; manifest: string }> {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const w = await writeOciLayout(out, { images: await images(dir, ['x86_64']), refName: 'x' });
    const read = await readOciLayout(out);
    const layer = read.entries[0]!.images[0]!.manifest.layers[0]!.digest.slice(7);
    return { out, layer, manifest: w.images[0]!.manifest.digest.slice(7) };
  }

  it('detects an altered layer (unless told not to hash layers) and an altered manifest', async () => {
    const { out, layer, manifest } = await layout();
    const layerPath = join(out, 'blobs', 'sha256', layer);
    const bytes = await readFile(layerPath);
    bytes[bytes.length - 9]! ^= 1;
    await writeFile(layerPath, bytes);
    const err = await rejectsWith(() => readOciLayout(out), 'CONFIG_INVALID');
    expect(err.message).toContain(layer);
    await readOciLayout(out, { verifyLayers: false });
    await writeFile(layerPath, Buffer.concat([bytes, Buffer.from('x')]));
    await rejectsWith(() => readOciLayout(out, { verifyLayers: false }), 'CONFIG_INVALID');
    const manifestPath = join(out, 'blobs', 'sha256', manifest);
    await writeFile(
      manifestPath,
      (await readFile(manifestPath, 'utf8')).replace('"schemaVersion":2', '"schemaVersion":3'),
    );
    await rejectsWith(() => readOciLayout(out, { verifyLayers: false }), 'CONFIG_INVALID');
  });

  it('reports a missing oci-layout, bad index.json and unknown entries', async () => {
    const { out } = await layout();
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    index.manifests.push({ mediaType: 'application/x-unknown', digest: `sha256:${'0'.repeat(64)}`, size: 1 });
    await writeFile(join(out, 'index.json'), JSON.stringify(index));
    expect((await readOciLayout(out)).entries[1]!.images).toEqual([]);
    await writeFile(join(out, 'index.json'), '{"schemaVersion":2,"manifests":[{"digest":"sha256:1"}]}');
    const err = await rejectsWith(() => readOciLayout(out), 'CONFIG_INVALID');
    expect(err.message).toContain('mediaType');
    await writeFile(join(out, 'oci-layout'), '{"imageLayoutVersion":"2.0.0"}');
    await rejectsWith(() => readOciLayout(out), 'CONFIG_INVALID');
  });
});
