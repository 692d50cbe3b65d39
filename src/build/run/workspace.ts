/**
 * The build workspace: the host directory bound as the guest's `/home/build`. As melange's
 * `populateWorkspace`, it starts with a copy of every regular file of the source directory
 * (the recipe's directory unless `--source-dir` says otherwise), permissions kept, symlinks and
 * other special files skipped, and files matching `.melangeignore` left out; a source directory
 * that does not exist gives an empty workspace, as in melange. Then each package's
 * `melange-out/NAME` staging directory is made.
 */
import type { Dirent } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { LarderError } from '../../core/index.js';
import { GUEST_WORKSPACE } from '../sandbox/index.js';
import { IGNORE_FILE, type IgnoreRules, parseIgnoreRules } from './ignore-rules.js';

/**
 * Copies the regular files under `sourceDir` into `workspace`, keeping relative paths and modes.
 * Returns how many were copied, or undefined when `sourceDir` does not exist.
 */
export async function populateWorkspace(sourceDir: string, workspace: string): Promise<number | undefined> {
  const exists = await stat(sourceDir).then(
    (s) => s.isDirectory(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw new LarderError('IO', `source directory ${sourceDir}: ${err.message}`, {
        subject: sourceDir,
        cause: err,
      });
    },
  );
  if (!exists) return undefined;
  const rules = await ignoreRules(sourceDir);
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
        const inside = relative(sourceDir, from);
        if (rules?.ignored(inside.split(sep).join('/')) === true) continue;
        const to = join(workspace, inside);
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

async function ignoreRules(sourceDir: string): Promise<IgnoreRules | undefined> {
  const file = join(sourceDir, IGNORE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LarderError('IO', `${file}: ${(err as Error).message}`, { subject: file, cause: err });
  }
  return parseIgnoreRules(text, file);
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
