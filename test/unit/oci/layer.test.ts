import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/index.js';
import { writeLayerBlob } from '../../../src/oci/index.js';
import { tempDir } from '../../kit/paths.js';
import { pieces, sampleBytes } from './helpers.js';

const sha = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('writeLayerBlob', () => {
  it('writes blobs/sha256/<digest> and computes diff_id and digest in one pass', async () => {
    const dir = await tempDir();
    const tar = sampleBytes(300_000, 9);
    const events: ProgressEvent[] = [];
    const blob = await writeLayerBlob(pieces(tar, 10_000), {
      blobsDir: join(dir, 'blobs'),
      blockSize: 64 * 1024,
      onProgress: (e) => events.push(e),
    });
    const bytes = await readFile(blob.path);
    expect(blob.path).toBe(join(dir, 'blobs', 'sha256', blob.digest.slice(7)));
    expect(blob.digest).toBe(sha(bytes));
    expect(blob.size).toBe(bytes.length);
    expect(blob.diffId).toBe(sha(tar));
    expect(blob.uncompressedSize).toBe(tar.length);
    expect(blob.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(gunzipSync(bytes).equals(tar)).toBe(true);
    expect(events[0]).toEqual({ kind: 'start', task: 'write layer' });
    expect(events.at(-2)).toEqual({ kind: 'advance', task: 'write layer', done: tar.length });
    expect(events.at(-1)).toEqual({ kind: 'finish', task: 'write layer' });
    expect(await readdir(join(dir, 'blobs', 'sha256'))).toEqual([blob.digest.slice(7)]);
  });

  it('is reproducible: same tar, same digest, whatever the chunking', async () => {
    const dir = await tempDir();
    const tar = sampleBytes(200_000, 2);
    const a = await writeLayerBlob([tar], { blobsDir: join(dir, 'a') });
    const b = await writeLayerBlob(pieces(tar, 333), { blobsDir: join(dir, 'b') });
    expect(b.digest).toBe(a.digest);
    expect(b.diffId).toBe(a.diffId);
  });

  it('leaves no temporary file when the tar stream fails', async () => {
    const dir = await tempDir();
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield sampleBytes(100_000);
      throw new Error('package read failed');
    }
    await expect(writeLayerBlob(broken(), { blobsDir: dir })).rejects.toThrow('package read failed');
    expect(await readdir(join(dir, 'sha256'))).toEqual([]);
  });
});
