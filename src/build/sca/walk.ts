import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { LarderError } from '../../core/index.js';

/** One walked entry of a package tree, as Go's `fs.WalkDir` reports it (no symlink following). */
export interface TreeNode {
  /** Slash-separated path relative to the tree's root, no leading `./`. */
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits (mode & 0o7777). */
  readonly perm: number;
  readonly abs: string;
}

/**
 * Every entry under `root` in `fs.WalkDir` order: lexical by name, a directory before its
 * contents. The root itself is not reported. A missing root is an empty tree.
 */
export async function walkTree(root: string): Promise<TreeNode[]> {
  const out: TreeNode[] = [];
  const visit = async (rel: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(rel === '' ? root : join(root, rel));
    } catch (err) {
      if (rel === '' && (err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw ioError(rel === '' ? root : join(root, rel), err);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const abs = join(root, path);
      const st = await lstat(abs).catch((err: unknown) => {
        throw ioError(abs, err);
      });
      const kind = st.isFile()
        ? 'file'
        : st.isDirectory()
          ? 'dir'
          : st.isSymbolicLink()
            ? 'symlink'
            : 'other';
      out.push({ path, kind, perm: st.mode & 0o7777, abs });
      if (kind === 'dir') await visit(path);
    }
  };
  await visit('');
  return out;
}

/**
 * Follows a symlink inside the tree (absolute targets are read relative to the root, as
 * inside the installed system) to a regular file; undefined when it leaves the tree, dangles
 * or loops.
 */
export async function resolveInTree(root: string, path: string): Promise<string | undefined> {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    const abs = join(root, current);
    const st = await lstat(abs).catch(() => undefined);
    if (st === undefined) return undefined;
    if (st.isFile()) return current;
    if (!st.isSymbolicLink()) return undefined;
    const target = await readlink(abs);
    const next = target.startsWith('/')
      ? posix.normalize(target.slice(1))
      : posix.normalize(posix.join(posix.dirname(current), target));
    if (next === '..' || next.startsWith('../') || next === '.') return undefined;
    current = next;
  }
  return undefined;
}

/** Reads a file, or undefined when it cannot be read (melange skips such files). */
export async function readIfPossible(abs: string): Promise<Buffer | undefined> {
  return readFile(abs).catch(() => undefined);
}

/** melange's `isInDir`: the parent directory equals one of `dirs` (`d/...` matches below `d`). */
export function isInDir(path: string, dirs: readonly string[]): boolean {
  const parent = posix.dirname(path);
  return dirs.some((d) => {
    if (d.endsWith('/...')) {
      const prefix = d.slice(0, -4);
      return parent === prefix || parent.startsWith(`${prefix}/`);
    }
    return parent === d || `${parent}/` === d;
  });
}

function ioError(path: string, err: unknown): LarderError {
  return new LarderError('IO', `${path}: cannot scan package tree: ${(err as Error).message}`, {
    cause: err,
    subject: path,
  });
}
