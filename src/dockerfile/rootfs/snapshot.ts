import type { BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';

/** What kind of filesystem object a path is. */
export type TreeEntryType = 'file' | 'directory' | 'symlink' | 'chardev' | 'blockdev' | 'fifo' | 'socket';

/** One path of a tree as `lstat` saw it (times in nanoseconds, never rounded). */
export interface TreeEntry {
  readonly type: TreeEntryType;
  /** Permission bits with setuid/setgid/sticky (`mode & 0o7777`). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly dev: bigint;
  readonly ino: bigint;
  readonly nlink: number;
  /** Device number of a device node (`rdev`), 0 otherwise. */
  readonly rdev: number;
  /** Target of a symlink. */
  readonly linkTarget?: string;
}

/** Every path under a root, relative and `/`-separated, the root itself excluded. */
export interface TreeSnapshot {
  readonly root: string;
  readonly entries: ReadonlyMap<string, TreeEntry>;
}

function typeOf(st: BigIntStats): TreeEntryType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'chardev';
  if (st.isBlockDevice()) return 'blockdev';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
}

/** One path's entry from one `lstat` (and a `readlink` for symlinks). */
export async function lstatEntry(path: string): Promise<TreeEntry> {
  const st = await lstat(path, { bigint: true });
  const type = typeOf(st);
  const entry: TreeEntry = {
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: type === 'file' ? Number(st.size) : 0,
    mtimeNs: st.mtimeNs,
    ctimeNs: st.ctimeNs,
    dev: st.dev,
    ino: st.ino,
    nlink: Number(st.nlink),
    rdev: type === 'chardev' || type === 'blockdev' ? Number(st.rdev) : 0,
  };
  return type === 'symlink' ? { ...entry, linkTarget: await readlink(path) } : entry;
}

/**
 * Records every path under `root` with one `lstat` each (bigint times, so a rewrite inside the
 * same second is seen). Directories are read breadth-first with their children stat'ed
 * concurrently; symlinks are never followed.
 */
export async function snapshotTree(root: string): Promise<TreeSnapshot> {
  const entries = new Map<string, TreeEntry>();
  let level: string[] = [''];
  try {
    const top = await lstatEntry(root);
    if (top.type !== 'directory') throw new Error('not a directory');
    while (level.length > 0) {
      const next: string[] = [];
      for (const dir of level) {
        const names = (await readdir(join(root, dir))).sort();
        const paths = names.map((name) => (dir === '' ? name : `${dir}/${name}`));
        const stats = await Promise.all(paths.map((p) => lstatEntry(join(root, p))));
        paths.forEach((p, i) => {
          const entry = stats[i]!;
          entries.set(p, entry);
          if (entry.type === 'directory') next.push(p);
        });
      }
      level = next;
    }
  } catch (err) {
    throw new LarderError('IO', `cannot snapshot ${root}: ${(err as Error).message}`, {
      cause: err,
      subject: root,
    });
  }
  return { root, entries };
}
