import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LarderError } from './errors.js';

/**
 * Writes a file atomically: the bytes go to a temporary file in the same directory, are
 * fsynced, and the temporary file is renamed over the target. On failure nothing is left.
 * `beforeRename` runs once the temporary file is complete and synced, just before the rename
 * (a publisher checks it still holds its lock there; tests simulate a crash there).
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string | AsyncIterable<Uint8Array>,
  options: { mode?: number; beforeRename?: (tmp: string) => Promise<void> | void } = {},
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o644);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) {
        await handle.writeFile(data);
      } else {
        for await (const chunk of data) await handle.write(chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof LarderError) throw err;
    throw new LarderError('IO', `cannot write ${path}: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}
