import { LarderError } from '../../core/index.js';
import type { RootNode, RootTree } from './tree.js';

const MAX_LINK_HOPS = 40;

/** Where a path leads: its real path (every symlinked directory resolved) and the node there. */
export interface Lookup {
  readonly real: string;
  readonly node: RootNode | undefined;
}

/**
 * Resolves `path` in the tree the way apko's in-memory filesystem does (`getNode`): the path and
 * each link target are cleaned lexically (`..` stops at the root), symlinked directories are
 * followed (relative targets from the link's directory, absolute ones from the root), and with `followLast` the final component too (Go's `Stat`).
 * Returns undefined when a parent is missing or is not a directory (Go's `ErrNotExist`);
 * `node` is undefined when only the last component is missing.
 *
 * @throws LarderError TAR_UNSAFE_PATH after 40 links (a loop), naming `who`.
 */
export function lookup(tree: RootTree, path: string, followLast: boolean, who: string): Lookup | undefined {
  return walk(tree, path, followLast, who, path, 0);
}

function walk(
  tree: RootTree,
  path: string,
  followLast: boolean,
  who: string,
  original: string,
  hops: number,
): Lookup | undefined {
  const parts = cleanParts(path);
  const current: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const candidate = [...current, part].join('/');
    const node = tree.get(candidate);
    if (node === undefined) return last ? { real: candidate, node: undefined } : undefined;
    if (node.type === 'symlink' && (!last || followLast)) {
      if (hops >= MAX_LINK_HOPS)
        throw new LarderError('TAR_UNSAFE_PATH', `${who}: ${original}: too many levels of symbolic links`);
      const target = node.linkname ?? '';
      const base = target.startsWith('/') ? target : `${current.join('/')}/${target}`;
      const rest = parts.slice(i + 1).join('/');
      return walk(tree, rest === '' ? base : `${base}/${rest}`, followLast, who, original, hops + 1);
    }
    if (!last && node.type !== 'directory') return undefined;
    current.push(part);
  }
  const real = current.join('/');
  return { real, node: real === '' ? ROOT : tree.get(real) };
}

/** Go's `filepath.Clean` of a rooted path, as components: `.` dropped, `..` lexical, never above the root. */
export function cleanParts(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

/** The root directory, which the tree does not hold as a node. */
const ROOT: RootNode = {
  type: 'directory',
  mode: 0o755,
  uid: 0,
  gid: 0,
  uname: '',
  gname: '',
  mtime: 0,
  xattrs: [],
};

/** The content of a regular file or of the file a hard link names; undefined for anything else. */
export function contentOf(tree: RootTree, node: RootNode): Buffer | undefined {
  if (node.type === 'file') return node.data ?? Buffer.alloc(0);
  if (node.type === 'hardlink' && node.linkname !== undefined) {
    const target = tree.get(node.linkname);
    return target?.type === 'file' ? (target.data ?? Buffer.alloc(0)) : undefined;
  }
  return undefined;
}

/** A regular file for Go's `Mode().IsRegular()`: a file, or a hard link (the same inode). */
export function isRegular(node: RootNode | undefined): boolean {
  return node?.type === 'file' || node?.type === 'hardlink';
}

/**
 * apko's `MkdirAll`: creates the missing directories of `path` with `make()`, following symlinked
 * components, and returns the real path of the directory (`''` for the root).
 *
 * @throws LarderError PACKAGE_INVALID when a component is not a directory (or a link to none).
 */
export function mkdirAllFollow(tree: RootTree, path: string, make: () => RootNode, who: string): string {
  let current = '';
  for (const part of cleanParts(path)) {
    const candidate = current === '' ? part : `${current}/${part}`;
    const node = tree.get(candidate);
    if (node === undefined) {
      tree.set(candidate, make());
      current = candidate;
    } else if (node.type === 'directory') {
      current = candidate;
    } else if (node.type === 'symlink') {
      const found = lookup(tree, candidate, true, who);
      if (found?.node?.type !== 'directory') throw notDirectory(who, path, candidate);
      current = found.real;
    } else {
      throw notDirectory(who, path, candidate);
    }
  }
  return current;
}

function notDirectory(who: string, path: string, part: string): LarderError {
  return new LarderError(
    'PACKAGE_INVALID',
    `${who}: cannot create directory ${path}: ${part} is not a directory`,
  );
}
