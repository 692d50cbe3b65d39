import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar } from '../../../src/archive/index.js';
import {
  type ImageInput,
  platformFor,
  sha256Digest,
  writeDockerArchive,
  writeLayerBlob,
} from '../../../src/oci/index.js';
import { tempDir } from '../../kit/paths.js';
import { helloTar, rejectsWith } from './helpers.js';

async function image(dir: string): Promise<ImageInput> {
  const blob = await writeLayerBlob([helloTar('hello')], { blobsDir: join(dir, 'staging') });
  return {
    platform: platformFor('x86_64'),
    config: { created: '1970-01-01T00:00:00Z', config: { Cmd: ['/bin/sh'] } },
    layers: [{ ...blob, blobPath: blob.path }],
  };
}

describe('writeDockerArchive', () => {
  it('writes manifest.json, blobs and an OCI index, sorted, owned by root, with one mtime', async () => {
    const dir = await tempDir();
    const img = await image(dir);
    const file = join(dir, 'image.tar');
    const result = await writeDockerArchive(file, img, {
      repoTags: ['alpine', 'localhost:5000/x/y:2'],
      mtime: 1700000000,
    });
    const entries = readTar(await readFile(file));
    const names = entries.map((e) => e.header.name);
    expect(names).toEqual([...names].sort());
    expect(names.slice(0, 2)).toEqual(['blobs/', 'blobs/sha256/']);
    expect(names.slice(-3)).toEqual(['index.json', 'manifest.json', 'oci-layout']);
    for (const { header } of entries) {
      expect(header.mtime).toBe(1700000000);
      expect(header.uid).toBe(0);
      expect(header.mode).toBe(header.type === 'directory' ? 0o755 : 0o644);
    }
    const byName = new Map(entries.map((e) => [e.header.name, e.data]));
    const manifest = JSON.parse(byName.get('manifest.json')!.toString());
    expect(manifest).toEqual([
      {
        Config: `blobs/sha256/${result.configDigest.slice(7)}`,
        RepoTags: ['alpine:latest', 'localhost:5000/x/y:2'],
        Layers: [`blobs/sha256/${img.layers[0]!.digest.slice(7)}`],
      },
    ]);
    for (const [name, data] of byName) {
      if (name.startsWith('blobs/sha256/') && name.length > 13)
        expect(sha256Digest(data)).toBe(`sha256:${name.slice(13)}`);
    }
    const layer = img.layers[0]!;
    expect(
      byName
        .get(`blobs/sha256/${layer.digest.slice(7)}`)!
        .equals(await readFile('blobPath' in layer ? layer.blobPath : '')),
    ).toBe(true);
    const index = JSON.parse(byName.get('index.json')!.toString());
    expect(index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations)).toEqual([
      {
        'io.containerd.image.name': 'docker.io/library/alpine:latest',
        'org.opencontainers.image.ref.name': 'latest',
      },
      { 'io.containerd.image.name': 'localhost:5000/x/y:2', 'org.opencontainers.image.ref.name': '2' },
    ]);
    expect(result.repoTags).toEqual(['alpine:latest', 'localhost:5000/x/y:2']);
    expect(await readdir(dir)).toEqual(['image.tar', 'staging']);
  });

  it('is deterministic', async () => {
    const dir = await tempDir();
    const img = await image(dir);
    await writeDockerArchive(join(dir, 'a.tar'), img, { repoTags: ['a:1'] });
    await writeDockerArchive(join(dir, 'b.tar'), img, { repoTags: ['a:1'] });
    expect((await readFile(join(dir, 'a.tar'))).equals(await readFile(join(dir, 'b.tar')))).toBe(true);
  });

  it('rejects digest references as repo tags and leaves nothing behind', async () => {
    const dir = await tempDir();
    const img = await image(dir);
    await rejectsWith(
      () => writeDockerArchive(join(dir, 'x.tar'), img, { repoTags: [`a@sha256:${'0'.repeat(64)}`] }),
      'USAGE',
    );
    const bad: ImageInput = { ...img, layers: [{ ...img.layers[0]!, size: 1 }] };
    await rejectsWith(() => writeDockerArchive(join(dir, 'x.tar'), bad), 'USAGE');
    expect(await readdir(dir)).toEqual(['staging']);
  });
});
