import type { BigIntStats } from 'node:fs';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
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

function entryOf(st: BigIntStats, linkTarget: () => string): TreeEntry {
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
  return type === 'symlink' ? { ...entry, linkTarget: linkTarget() } : entry;
}

/** One path's entry from one `lstat` (and a `readlink` for symlinks). */
export function lstatEntry(path: string): TreeEntry {
  return entryOf(lstatSync(path, { bigint: true }), () => readlinkSync(path));
}

/** Entries stat'ed between two turns of the event loop. */
const ENTRIES_PER_TURN = 2048;

/**
 * Records every path under `root` with one `lstat` each (bigint times, so a rewrite inside the
 * same second is seen); symlinks are never followed. The calls are synchronous (twice as fast
 * as the thread pool's round trips for trees of small files) but give the event loop a turn
 * every 2048 entries. The map's order is not meaningful.
 */
export async function snapshotTree(root: string): Promise<TreeSnapshot> {
  const entries = new Map<string, TreeEntry>();
  try {
    if (lstatEntry(root).type !== 'directory') throw new Error('not a directory');
    const queue: string[] = [''];
    let budget = ENTRIES_PER_TURN;
    for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
      for (const name of readdirSync(join(root, dir))) {
        const path = dir === '' ? name : `${dir}/${name}`;
        const entry = lstatEntry(join(root, path));
        entries.set(path, entry);
        if (entry.type === 'directory') queue.push(path);
        if (--budget === 0) {
          budget = ENTRIES_PER_TURN;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    }
  } catch (err) {
    throw new LarderError('IO', `cannot snapshot ${root}: ${(err as Error).message}`, {
      cause: err,
      subject: root,
    });
  }
  return { root, entries };
}
