import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { LarderError } from '../../core/index.js';

/** One layer to apply: a blob file and, when known, its media type. */
export interface LayerSource {
  readonly blobPath: string;
  readonly mediaType?: string;
}

/** How a layer blob is compressed. */
export type LayerCompression = 'gzip' | 'zstd' | 'none';

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/**
 * The compression of a layer: from its media type when it names one (`+gzip`, `+zstd`, a
 * plain `.tar`), otherwise from the blob's first bytes (docker's media types and unknown ones).
 */
export async function layerCompression(layer: LayerSource): Promise<LayerCompression> {
  const type = layer.mediaType ?? '';
  if (/[+.]gzip$/.test(type)) return 'gzip';
  if (/[+.]zstd$/.test(type)) return 'zstd';
  if (type.endsWith('.tar')) return 'none';
  const handle = await open(layer.blobPath, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead >= 2 && head.subarray(0, 2).equals(GZIP_MAGIC)) return 'gzip';
    if (bytesRead === 4 && head.equals(ZSTD_MAGIC)) return 'zstd';
    return 'none';
  } finally {
    await handle.close();
  }
}

/** The uncompressed tar bytes of a layer blob, streamed. zstd needs a Node with zstd in zlib. */
export async function openLayerTar(layer: LayerSource): Promise<AsyncIterable<Buffer>> {
  const compression = await layerCompression(layer);
  const file = createReadStream(layer.blobPath);
  if (compression === 'none') return file;
  if (compression === 'gzip') return decompressed(file, zlib.createGunzip(), 'gzip');
  const createZstd = (zlib as unknown as { createZstdDecompress?: () => zlib.Gunzip }).createZstdDecompress;
  if (createZstd === undefined) {
    file.destroy();
    throw new LarderError(
      'IO',
      `${layer.blobPath}: zstd-compressed layers need Node 22.15 or later (this is Node ${process.versions.node}); convert the image to gzip layers (skopeo copy --dest-compress-format gzip)`,
      { subject: layer.blobPath },
    );
  }
  return decompressed(file, createZstd(), 'zstd');
}

async function* decompressed(file: Readable, inflate: zlib.Gunzip, kind: string): AsyncGenerator<Buffer> {
  file.on('error', (err) => inflate.destroy(err));
  file.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Buffer;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e instanceof LarderError) throw e;
    const truncated = e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message);
    throw new LarderError(
      truncated ? 'GZIP_TRUNCATED' : kind === 'gzip' ? 'GZIP_CORRUPT' : 'IO',
      `${kind} stream ${truncated ? 'is truncated' : 'is corrupt'}: ${e.message}`,
      { cause: err },
    );
  } finally {
    file.destroy();
    inflate.destroy();
  }
}
