/**
 * The build workspace: the host directory bound as the guest's `/home/build`. As melange's
 * `populateWorkspace`, it starts with a copy of every regular file of the source directory
 * (the recipe's directory unless `--source-dir` says otherwise), permissions kept, symlinks and
 * other special files skipped; then each package's `melange-out/NAME` staging directory is made.
 */
import type { Dirent } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { LarderError } from '../../core/index.js';
import { GUEST_WORKSPACE } from '../sandbox/index.js';

/** Copies the regular files under `sourceDir` into `workspace`, keeping relative paths and modes. */
export async function populateWorkspace(sourceDir: string, workspace: string): Promise<number> {
  let copied = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new LarderError('IO', `source directory ${dir}: ${(err as Error).message}`, {
        subject: dir,
        cause: err,
      });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const from = join(dir, entry.name);
      if (resolve(from) === resolve(workspace)) continue;
      if (entry.isDirectory()) await walk(from);
      else if (entry.isFile()) {
        const to = join(workspace, relative(sourceDir, from));
        await mkdir(dirname(to), { recursive: true });
        await copyFile(from, to);
        await chmod(to, (await stat(from)).mode & 0o7777);
        copied++;
      }
    }
  };
  await walk(sourceDir);
  return copied;
}

/**
 * The host directory of a guest path under `/home/build` (a package's destdir).
 * @throws LarderError USAGE when the guest path is outside the workspace.
 */
export function hostPathOf(workspace: string, guestPath: string): string {
  const inside = posix.relative(GUEST_WORKSPACE, posix.normalize(guestPath));
  if (inside === '' || inside === '..' || inside.startsWith('../') || posix.isAbsolute(inside))
    throw new LarderError(
      'USAGE',
      `staging directory ${guestPath} is not inside the workspace ${GUEST_WORKSPACE}`,
    );
  return join(workspace, ...inside.split('/'));
}
