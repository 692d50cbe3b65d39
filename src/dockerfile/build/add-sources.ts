import { createHash, randomBytes } from 'node:crypto';
import { open, utimes, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { applyLayers } from '../rootfs/index.js';

/** True for the sources ADD downloads. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Downloads an ADD source: the file name is the URL path's last component (or `index.html`
 * for none, as Docker names it), the mtime the `Last-Modified` header's. With `checksum`
 * (`sha256:<hex>`) the bytes must match it.
 */
export async function fetchAddUrl(
  url: string,
  checksum: string | undefined,
  scratchDir: string,
  signal?: AbortSignal,
): Promise<{ path: string; name: string }> {
  if (checksum !== undefined && !/^sha256:[0-9a-f]{64}$/.test(checksum))
    throw new Error(`--checksum=${checksum}: expected sha256:<64 hex digits>`);
  const response = await fetch(url, { redirect: 'follow', ...(signal ? { signal } : {}) });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (checksum !== undefined && digest !== checksum)
    throw new Error(`checksum mismatch: expected ${checksum}, got ${digest}`);
  const name = posix.basename(new URL(url).pathname) || 'index.html';
  const path = join(scratchDir, `add-${randomBytes(6).toString('hex')}`);
  await writeFile(path, bytes);
  const modified = response.headers.get('last-modified');
  const time = modified === null ? Number.NaN : Date.parse(modified);
  if (!Number.isNaN(time)) await utimes(path, new Date(time), new Date(time));
  return { path, name };
}

/**
 * ADD of a local tar archive (plain or gzip) unpacks it into `dir` and returns true; any other
 * file returns false and is copied as it is. (bzip2, xz and zstd archives are copied, not
 * unpacked: see docs/dockerfile.md.)
 */
export async function unpackArchive(file: string, dir: string): Promise<boolean> {
  const head = Buffer.alloc(512);
  const handle = await open(file, 'r');
  let read: number;
  try {
    ({ bytesRead: read } = await handle.read(head, 0, 512, 0));
  } finally {
    await handle.close();
  }
  const gzip = read >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  const tar = read >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
  if (!gzip && !tar) return false;
  await applyLayers(
    [
      {
        blobPath: file,
        mediaType: gzip
          ? 'application/vnd.oci.image.layer.v1.tar+gzip'
          : 'application/vnd.oci.image.layer.v1.tar',
      },
    ],
    dir,
  );
  return true;
}
