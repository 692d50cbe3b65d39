/**
 * Reading and writing single files of a RootTree the way apko's in-memory filesystem does for
 * the files it edits after installation (CA bundles, truststores, `/etc/apko.json`, the s6
 * tree): paths are followed through symlinks and hard links, and writing to an existing file
 * keeps its mode and owner (an open with O_TRUNC), while a new file gets the given mode.
 */
import { createHash } from 'node:crypto';
import { isLarderError } from '../../core/index.js';
import { type RootNode, type RootTree, synthDir, synthFile } from './tree.js';

const MAX_HOPS = 40;

/**
 * The real path of `path` with every symlink (parents and the last name) and hard link
 * followed, or undefined when nothing is there: missing, a dangling or looping link, or a
 * link leading outside the root.
 */
export function realPath(tree: RootTree, path: string): string | undefined {
  let current = path;
  for (let hops = 0; hops <= MAX_HOPS; hops++) {
    let real: string;
    try {
      real = tree.resolveParent(current, path);
    } catch (err) {
      if (isLarderError(err)) return undefined;
      throw err;
    }
    const node = tree.get(real);
    if (node === undefined) return undefined;
    if (node.type === 'hardlink' && node.linkname !== undefined) return realPath(tree, node.linkname);
    if (node.type !== 'symlink') return real;
    const target = node.linkname ?? '';
    const slash = real.lastIndexOf('/');
    const dir = slash < 0 ? '' : real.slice(0, slash);
    if (target.startsWith('/')) current = target.replace(/^\/+/, '');
    else current = dir === '' ? target : `${dir}/${target}`;
  }
  return undefined;
}

/** The content of the regular file at the real path `real`, or undefined when it is not one. */
export function fileData(tree: RootTree, real: string): Buffer | undefined {
  const node = tree.get(real);
  return node?.type === 'file' ? (node.data ?? Buffer.alloc(0)) : undefined;
}

/**
 * `mkdir -p` through symlinks (apko's MkdirAll): each missing directory is created with `mode`;
 * returns the real path of the directory. Throws PACKAGE_INVALID when a component is a file.
 */
export function ensureDir(tree: RootTree, path: string, mode: number, mtime: number): string {
  let real = '';
  for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
    const next = real === '' ? part : `${real}/${part}`;
    const followed = realPath(tree, next);
    if (followed === undefined) {
      tree.mkdirAll(next, () => synthDir(mode, mtime));
      real = next;
      continue;
    }
    // mkdirAll throws PACKAGE_INVALID for a non-directory, naming the path.
    tree.mkdirAll(followed, () => synthDir(mode, mtime));
    real = followed;
  }
  return real;
}

/**
 * Writes `data` at the real path `real`: an existing regular file keeps its mode (unless
 * `mode.force`), owner, package and extended attributes; anything else is replaced by a new
 * root-owned file.
 */
export function writeFile(
  tree: RootTree,
  real: string,
  data: Buffer | string,
  mode: { readonly mode: number; readonly force?: boolean },
  mtime: number,
): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const existing = tree.get(real);
  // An edited package file still belongs to its package (apko's tarfs keeps the tar entry).
  const base: RootNode = existing?.type === 'file' ? { ...existing } : synthFile('', mode.mode, mtime);
  if (mode.force === true || existing?.type !== 'file') base.mode = mode.mode;
  tree.set(real, { ...base, data: bytes, mtime, sha1: createHash('sha1').update(bytes).digest('hex') });
}
