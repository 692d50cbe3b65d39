import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { IGNORE_PROGRESS, LarderError, type ProgressListener } from '../core/index.js';
import { type ParallelGzipOptions, parallelGzip } from './parallel-gzip.js';
import { MEDIA_TYPES } from './types.js';

/** A compressed layer written as a blob file, with everything its descriptors need. */
export interface LayerBlob {
  readonly mediaType: typeof MEDIA_TYPES.layerGzip;
  /** `sha256:` of the gzip bytes: the manifest's layer digest. */
  readonly digest: string;
  /** Length of the gzip bytes. */
  readonly size: number;
  /** `sha256:` of the uncompressed tar: the config's `rootfs.diff_ids` entry. */
  readonly diffId: string;
  readonly uncompressedSize: number;
  /** Where the blob is: `<blobsDir>/sha256/<hex>`. */
  readonly path: string;
}

export interface LayerWriteOptions extends ParallelGzipOptions {
  /** A blobs directory (e.g. a layout's `blobs`); the blob goes to `sha256/<hex>` inside it. */
  readonly blobsDir: string;
  /** Gets `advance` events with uncompressed bytes done, task `layer`. */
  readonly onProgress?: ProgressListener;
}

/**
 * Compresses an uncompressed layer tar into a gzip blob with {@link parallelGzip}, hashing
 * the tar (diff_id) and the gzip bytes (digest) in the same pass. The blob is streamed to a
 * temporary file beside its final name, fsynced and renamed to `sha256/<hex>`, so the bytes
 * are never all in memory and a failure leaves nothing behind.
 */
export async function writeLayerBlob(
  tar: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: LayerWriteOptions,
): Promise<LayerBlob> {
  const dir = join(options.blobsDir, 'sha256');
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.layer-${randomBytes(6).toString('hex')}.tmp`);
  const progress = options.onProgress ?? IGNORE_PROGRESS;
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let uncompressedSize = 0;
  let size = 0;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    progress({ kind: 'start', task: 'write layer' });
    for await (const chunk of tar) {
      diffHash.update(chunk);
      uncompressedSize += chunk.length;
      progress({ kind: 'advance', task: 'write layer', done: uncompressedSize });
      yield chunk;
    }
  }
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      for await (const part of parallelGzip(hashed(), options)) {
        blobHash.update(part);
        size += part.length;
        await handle.write(part);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const hex = blobHash.digest('hex');
    const path = join(dir, hex);
    await rename(tmp, path);
    progress({ kind: 'finish', task: 'write layer' });
    return {
      mediaType: MEDIA_TYPES.layerGzip,
      digest: `sha256:${hex}`,
      size,
      diffId: `sha256:${diffHash.digest('hex')}`,
      uncompressedSize,
      path,
    };
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof LarderError) throw err;
    throw new LarderError('IO', `cannot write layer blob in ${dir}: ${(err as Error).message}`, {
      cause: err,
      subject: dir,
    });
  }
}
