import { constants } from 'node:fs';
import { copyFile, link, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../core/index.js';
import type { LayerInput } from './compose.js';
import { sha256Digest } from './json.js';

/** `blobs/sha256/<hex>` under a layout (or archive) root, for a `sha256:` digest. */
export function blobPath(root: string, digest: string): string {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (match === null) throw new LarderError('USAGE', `unsupported digest ${JSON.stringify(digest)}`);
  return join(root, 'blobs', 'sha256', match[1]!);
}

/** Writes bytes as a new file and fsyncs it; an existing blob (same digest) is kept as it is. */
export async function writeBlobFile(path: string, bytes: Uint8Array): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw err;
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Checks a layer source against its descriptor: bytes by digest and size, a blob file by size.
 * The digest of a blob file is the caller's word (writeLayerBlob computed it): re-hashing
 * hundreds of MB here would cost what the parallel gzip saved. Throws USAGE.
 */
export async function checkLayerSource(layer: LayerInput): Promise<void> {
  const [digest, size, where] =
    'bytes' in layer
      ? [sha256Digest(layer.bytes), layer.bytes.length, 'the bytes given']
      : [layer.digest, (await stat(layer.blobPath)).size, layer.blobPath];
  if (digest !== layer.digest || size !== layer.size) {
    throw new LarderError(
      'USAGE',
      `layer ${layer.digest} (size ${layer.size}) does not match ${where}: digest ${digest}, size ${size}`,
    );
  }
}

/** Puts a checked layer's blob at `path`: bytes are written; a blob file is hard-linked (copied across filesystems). */
export async function placeLayerBlob(path: string, layer: LayerInput): Promise<void> {
  await checkLayerSource(layer);
  if ('bytes' in layer) return writeBlobFile(path, layer.bytes);
  try {
    await link(layer.blobPath, path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw err;
    await copyFile(layer.blobPath, path, constants.COPYFILE_EXCL);
    await syncFile(path);
  }
}

/** fsync of a file. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a directory, so renames in it are durable; filesystems that refuse are skipped. */
export async function syncDir(path: string): Promise<void> {
  try {
    await syncFile(path);
  } catch {
    // The rename is still atomic without it.
  }
}
