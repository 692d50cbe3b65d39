import {
  chmod,
  copyFile,
  lchown,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  rm,
  symlink,
  utimes,
} from 'node:fs/promises';
import { join, posix } from 'node:path';

import { imagePath } from './scoped-path.js';

/** A numeric owner. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export interface CopyTreeOptions {
  /** `--chown`; else `keepOwner` or root. */
  readonly owner?: Owner | undefined;
  /** Keep the source's uid/gid (`COPY --from`); the build context's files become root's. */
  readonly keepOwner?: boolean | undefined;
  /** `--chmod`: the mode of every file and directory copied. */
  readonly mode?: number | undefined;
  /** Whether `rel` (the source's path relative to its root) is copied (`.dockerignore`). */
  readonly include?: ((rel: string, isDir: boolean) => boolean) | undefined;
}

/**
 * Creates the missing directories of `dir` (a path in the image) inside `root`, mode 0755,
 * owned by `owner` (BuildKit gives created parents the `--chown` owner). Returns the host path.
 */
export async function makeParents(root: string, dir: string, owner: Owner | undefined): Promise<string> {
  const parts = posix
    .normalize(`/${dir}`)
    .split('/')
    .filter((p) => p !== '');
  let at = '/';
  for (const part of parts) {
    at = posix.join(at, part);
    const host = await imagePath(root, at);
    const stat = await lstat(host).catch(() => undefined);
    if (stat?.isDirectory()) continue;
    if (stat !== undefined) await rm(host, { recursive: true, force: true });
    await mkdir(host, { mode: 0o755 });
    await chmod(host, 0o755);
    if (owner) await lchown(host, owner.uid, owner.gid);
  }
  return imagePath(root, dir);
}

/**
 * Copies `src` (a host path; `rel` is its path relative to its root, for `include`) to `dest`
 * (a host path inside the image's root, its parent existing): directories merge into what is
 * there, files and symlinks replace it; modes and mtimes are kept, symlinks copied as links.
 * Returns the number of entries written.
 */
export async function copyTree(
  src: string,
  dest: string,
  rel: string,
  options: CopyTreeOptions,
): Promise<number> {
  const stat = await lstat(src);
  const owner = options.owner ?? (options.keepOwner ? { uid: stat.uid, gid: stat.gid } : { uid: 0, gid: 0 });
  const mode = options.mode ?? stat.mode & 0o7777;
  const existing = await lstat(dest).catch(() => undefined);
  if (stat.isDirectory()) {
    if (existing !== undefined && !existing.isDirectory()) await rm(dest, { force: true });
    if (existing === undefined || !existing.isDirectory()) await mkdir(dest);
    let count = 1;
    for (const name of (await readdir(src)).sort()) {
      const childRel = rel === '' || rel === '.' ? name : posix.join(rel, name);
      const childStat = await lstat(join(src, name));
      if (options.include && !options.include(childRel, childStat.isDirectory())) continue;
      count += await copyTree(join(src, name), join(dest, name), childRel, options);
    }
    await lchown(dest, owner.uid, owner.gid);
    await chmod(dest, mode);
    await utimes(dest, stat.atime, stat.mtime);
    return count;
  }
  if (existing?.isDirectory()) await rm(dest, { recursive: true, force: true });
  else if (existing !== undefined) await rm(dest, { force: true });
  if (stat.isSymbolicLink()) {
    await symlink(await readlink(src), dest);
  } else if (stat.isFile()) {
    await copyFile(src, dest);
    await chmod(dest, mode);
  } else {
    return 0; // sockets, fifos and devices are not copied (BuildKit sends none from a context)
  }
  await lchown(dest, owner.uid, owner.gid);
  await lutimes(dest, stat.atime, stat.mtime);
  return 1;
}
