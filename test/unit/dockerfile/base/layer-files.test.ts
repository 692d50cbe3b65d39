import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type TarWriteEntry, writeTar } from '../../../../src/archive/index.js';
import { LarderError } from '../../../../src/core/index.js';
import { readLayerFiles } from '../../../../src/dockerfile/base/index.js';
import { type LayerInput, writeLayerBlob } from '../../../../src/oci/index.js';
import { prng } from '../../../kit/prng.js';

type Item = { name: string; type?: TarWriteEntry['type']; data?: string; linkname?: string };

async function layer(dir: string, items: Item[]): Promise<LayerInput> {
  const tar = writeTar(
    items.map((i) => ({
      entry: {
        name: i.name,
        type: i.type ?? 'file',
        mode: 0o644,
        mtime: 0,
        ...(i.linkname !== undefined ? { linkname: i.linkname } : {}),
      },
      ...(i.data !== undefined ? { data: Buffer.from(i.data) } : {}),
    })),
    { endBlocks: true },
  );
  const blob = await writeLayerBlob([tar], { blobsDir: join(dir, 'blobs') });
  return { digest: blob.digest, size: blob.size, diffId: blob.diffId, blobPath: blob.path };
}

const all = (): boolean => true;
const text = (m: Map<string, Buffer>) => Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));

describe('readLayerFiles', () => {
  it('merges layers bottom first, honouring whiteouts, opaque directories and type changes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'larder-layer-files-'));
    const lower = await layer(dir, [
      { name: 'etc/', type: 'directory' },
      { name: 'etc/a', data: 'a1' },
      { name: 'etc/b', data: 'b1' },
      { name: './etc/keys/k1', data: 'k1' },
      { name: '/etc/keys/k2', data: 'k2' },
      { name: 'opt/x/y', data: 'y' },
      { name: 'var/z', data: 'z' },
    ]);
    const upper = await layer(dir, [
      { name: 'etc/a', data: 'a2' },
      { name: 'etc/.wh.b' },
      { name: 'etc/keys/.wh..wh..opq' },
      { name: 'etc/keys/k3', data: 'k3' },
      { name: '.wh.opt' },
      { name: 'var/z', type: 'symlink', linkname: 'elsewhere' },
    ]);
    expect(text(await readLayerFiles([lower, upper], all))).toEqual({ 'etc/a': 'a2', 'etc/keys/k3': 'k3' });
    expect(text(await readLayerFiles([lower], (p) => p.startsWith('etc/keys/')))).toEqual({
      'etc/keys/k1': 'k1',
      'etc/keys/k2': 'k2',
    });
    expect(text(await readLayerFiles([], all))).toEqual({});
  });

  it('broken layers are errors, never partial results (seeded corruption)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'larder-layer-files-bad-'));
    const good = await layer(dir, [{ name: 'etc/a', data: 'x'.repeat(3000) }]);
    const bytes = await import('node:fs/promises').then((fs) =>
      fs.readFile((good as { blobPath: string }).blobPath),
    );
    const random = prng(9);
    let failures = 0;
    for (let round = 0; round < 40; round++) {
      const cut = Buffer.from(bytes.subarray(0, Math.floor(random() * bytes.length)));
      if (round % 2 === 1 && cut.length > 20) cut[10 + Math.floor(random() * (cut.length - 10))]! ^= 0xff;
      const bad: LayerInput = { digest: good.digest, size: cut.length, diffId: good.diffId, bytes: cut };
      const got = await readLayerFiles([bad], all).then(
        (m) => m,
        (e: unknown) => e,
      );
      if (got instanceof Map) {
        // A corrupted byte may fall where gzip ignores it; then the content is intact.
        expect(text(got)).toEqual({ 'etc/a': 'x'.repeat(3000) });
      } else {
        expect(got).toBeInstanceOf(LarderError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(30);
    const plain = await readLayerFiles([{ ...good, blobPath: join(dir, 'missing') }], all).catch((e) => e);
    expect(plain).toBeInstanceOf(LarderError);
    expect((plain as LarderError).code).toBe('IO');
  });
});
