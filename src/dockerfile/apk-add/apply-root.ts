import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  rename,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LarderError } from '../../core/index.js';
import type { ChangedEntry } from './layer-changes.js';

const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * Writes the layer's entries into the root they were computed against, in layer order, so the
 * stage's later steps see what an extraction of the layer would give: directories created (or
 * their mode and owner set), files replaced atomically (temp file + rename), links and device
 * nodes made anew; mode, owner (when running as root) and mtime applied. Entry names are real
 * paths of the root (no symlinked parents), as layerChanges gives them. Extended attributes are
 * in the layer only.
 *
 * @throws LarderError IO naming the path when the root cannot be written.
 */
export async function applyToRoot(root: string, entries: readonly ChangedEntry[]): Promise<void> {
  for (const { entry, data } of entries) {
    const target = join(root, entry.name);
    try {
      await mkdir(dirname(target), { recursive: true });
      if (entry.type === 'directory') {
        const st = await lstat(target).catch(() => undefined);
        if (st !== undefined && !st.isDirectory()) await rm(target, { force: true });
        await mkdir(target, { recursive: true });
      } else if (entry.type === 'file') {
        const tmp = join(dirname(target), `.larder-apk-${randomBytes(6).toString('hex')}`);
        await writeFile(tmp, data ?? Buffer.alloc(0), { mode: 0o600 });
        await rename(tmp, target);
      } else {
        await rm(target, { force: true });
        if (entry.type === 'symlink') await symlink(entry.linkname ?? '', target);
        else if (entry.type === 'hardlink') await link(join(root, entry.linkname ?? ''), target);
        else if (entry.type === 'chardev' || entry.type === 'blockdev') {
          // Node has no mknod; without root the node stays in the layer only (as extractLayer does).
          if (!isRoot()) continue;
          const kind = entry.type === 'chardev' ? 'c' : 'b';
          const made = spawnSync('mknod', [
            target,
            kind,
            String(entry.devmajor ?? 0),
            String(entry.devminor ?? 0),
          ]);
          if (made.status !== 0) continue;
        } else if (entry.type === 'fifo') {
          spawnSync('mkfifo', [target]);
        }
      }
      if (entry.type === 'hardlink') continue;
      if (isRoot()) await lchown(target, entry.uid ?? 0, entry.gid ?? 0);
      if (entry.type !== 'symlink') await chmod(target, entry.mode & 0o7777);
      if (entry.type === 'symlink') await lutimes(target, entry.mtime, entry.mtime);
      else await utimes(target, entry.mtime, entry.mtime);
    } catch (err) {
      throw new LarderError(
        'IO',
        `apk add: cannot write /${entry.name} into the stage root: ${(err as Error).message}`,
        {
          cause: err,
          subject: target,
        },
      );
    }
  }
}
