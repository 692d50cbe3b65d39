import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { LarderError } from '../core/index.js';
import { syncDir } from './blob-files.js';

/**
 * Builds a directory at `out` atomically: `build` fills a fresh temporary directory beside
 * `out` (same filesystem), then it is renamed into place. An existing `out` is replaced only
 * when it is empty or `replaceable(out)` says so (e.g. it is a previous OCI layout): the old
 * one is renamed away, the new one renamed in, the old one removed. Between those two renames
 * `out` is briefly missing (Node has no RENAME_EXCHANGE); it never holds a partial build. On
 * failure the temporary directory is removed and any old `out` is put back.
 */
export async function buildDirAtomic<T>(
  out: string,
  replaceable: (dir: string) => Promise<boolean>,
  build: (tmp: string) => Promise<T>,
): Promise<T> {
  const target = resolve(out);
  const parent = dirname(target);
  const existing = await existingKind(target);
  if (existing === 'other') {
    throw new LarderError('USAGE', `${out} exists and is not a directory`, { subject: out });
  }
  if (existing === 'dir' && (await readdir(target)).length > 0 && !(await replaceable(target))) {
    throw new LarderError('USAGE', `${out} exists and is not an OCI layout; refusing to replace it`, {
      subject: out,
    });
  }
  await mkdir(parent, { recursive: true });
  const stamp = randomBytes(6).toString('hex');
  const tmp = join(parent, `.${basename(target)}.${stamp}.tmp`);
  const old = join(parent, `.${basename(target)}.${stamp}.old`);
  await mkdir(tmp);
  let result: T;
  try {
    result = await build(tmp);
    await syncDir(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  let movedAway = false;
  try {
    if (existing === 'dir') {
      await rename(target, old);
      movedAway = true;
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (movedAway) await rename(old, target).catch(() => {});
    throw new LarderError('IO', `cannot move the new ${out} into place: ${(err as Error).message}`, {
      cause: err,
      subject: out,
    });
  }
  await syncDir(parent);
  if (movedAway) await rm(old, { recursive: true, force: true });
  return result;
}

async function existingKind(path: string): Promise<'none' | 'dir' | 'other'> {
  try {
    return (await lstat(path)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw new LarderError('IO', `cannot inspect ${path}: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
}
