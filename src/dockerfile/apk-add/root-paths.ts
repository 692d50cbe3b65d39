import type { Stats } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { LarderError } from '../../core/index.js';

const MAX_LINKS = 40;

/** What is at a root-relative path: its real (symlink-free parents) path and lstat, if any. */
export interface RootPath {
  /** Root-relative, no leading `/`; parents resolved through the root's own symlinks. */
  readonly real: string;
  readonly stat?: Stats;
}

/**
 * Resolves the parents of `path` inside `root` as the image would see them: symlinks are
 * followed within the root (absolute targets are the root's, `..` stops at the root), so
 * `lib/apk/db/installed` in an image whose `lib/apk` leads to `../usr/lib/apk` is
 * `usr/lib/apk/db/installed`. The last component is not followed.
 *
 * @throws LarderError TAR_UNSAFE_PATH for a symlink loop (more than 40 links).
 */
export async function resolveInRoot(root: string, path: string): Promise<RootPath> {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const last = parts.pop();
  let real: string[] = [];
  let links = 0;
  const queue = [...parts];
  while (queue.length > 0) {
    const part = queue.shift()!;
    if (part === '..') {
      real.pop();
      continue;
    }
    const here = [...real, part];
    const st = await lstat(join(root, ...here)).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++links > MAX_LINKS)
        throw new LarderError('TAR_UNSAFE_PATH', `${path}: too many symbolic links in the image`, {
          subject: path,
        });
      const target = await readlink(join(root, ...here));
      if (target.startsWith('/')) real = [];
      queue.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    real = here;
  }
  const rel = posix.join(...real, last ?? '');
  const clean = rel === '.' ? '' : rel.replace(/\/$/, '');
  const stat = clean === '' ? undefined : await lstat(join(root, clean)).catch(() => undefined);
  return { real: clean, ...(stat !== undefined ? { stat } : {}) };
}
