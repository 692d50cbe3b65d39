import type { TreeEntry, TreeSnapshot } from './snapshot.js';

/** One record of a layer tar, in the order it is written. */
export type LayerItem =
  /** A path of the new tree; `hardlinkTo` names an earlier item sharing its inode. */
  | { readonly kind: 'entry'; readonly path: string; readonly entry: TreeEntry; readonly hardlinkTo?: string }
  /** `.wh.NAME` beside `path`: hides `path` of the lower layers. */
  | { readonly kind: 'whiteout'; readonly path: string }
  /** `dir/.wh..wh..opq`: hides everything the lower layers have in `dir`. */
  | { readonly kind: 'opaque'; readonly dir: string };

/** What changed between two snapshots and the layer records that express it. */
export interface TreeChanges {
  readonly added: readonly string[];
  readonly modified: readonly string[];
  /** Every path that is gone (children of a deleted directory included). */
  readonly deleted: readonly string[];
  readonly items: readonly LayerItem[];
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * True when `after` differs from `before` in anything a layer records. ctime is compared for
 * everything but directories: it catches content rewritten with the same size and a restored
 * mtime; a directory's ctime only says that children came and went, and those children are
 * compared themselves (which also keeps a mount point made and removed for a RUN from marking
 * its parent).
 */
export function entryChanged(before: TreeEntry, after: TreeEntry): boolean {
  return (
    before.type !== after.type ||
    before.mode !== after.mode ||
    before.uid !== after.uid ||
    before.gid !== after.gid ||
    before.size !== after.size ||
    before.mtimeNs !== after.mtimeNs ||
    (after.type !== 'directory' && before.ctimeNs !== after.ctimeNs) ||
    before.linkTarget !== after.linkTarget ||
    before.rdev !== after.rdev
  );
}

/**
 * Compares two snapshots of the same root and plans the layer (OCI image-spec layer.md): new
 * and changed paths with all their parent directories, one `.wh.` per deleted tree (not one
 * per child), a whiteout then the new entry for a directory replaced by something else, and
 * for a directory deleted and made again (another inode) its opaque marker and all its new
 * contents. Within a directory the opaque marker comes first, then whiteouts, then entries,
 * each sorted, so appliers that work in tar order never remove what the layer just wrote.
 * Paths for which `exclude` (or any parent's) is true are ignored on both sides, and so are sockets.
 */
export function computeChanges(
  before: TreeSnapshot,
  after: TreeSnapshot,
  exclude: (path: string) => boolean = () => false,
): TreeChanges {
  // Sockets cannot be put in a tar: left out on both sides, as containerd's layer writer does.
  const isSocket = (path: string): boolean =>
    after.entries.get(path)?.type === 'socket' || before.entries.get(path)?.type === 'socket';
  const excludedCache = new Map<string, boolean>();
  const excluded = (path: string): boolean => {
    if (path === '') return false;
    let hit = excludedCache.get(path);
    if (hit === undefined) {
      hit = exclude(path) || excluded(parentOf(path)) || isSocket(path);
      excludedCache.set(path, hit);
    }
    return hit;
  };
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  const opaque = new Set<string>();
  const whiteouts = new Set<string>();
  const include = new Set<string>();
  for (const [path, entry] of after.entries) {
    if (excluded(path)) continue;
    const old = before.entries.get(path);
    if (old === undefined) added.push(path);
    else if (entryChanged(old, entry)) modified.push(path);
    else continue;
    include.add(path);
    if (
      old?.type === 'directory' &&
      entry.type === 'directory' &&
      (old.ino !== entry.ino || old.dev !== entry.dev)
    )
      opaque.add(path);
    if (old?.type === 'directory' && entry.type !== 'directory') whiteouts.add(path);
  }
  // Everything inside a re-made directory is new, changed or not.
  if (opaque.size > 0)
    for (const path of after.entries.keys())
      if (!excluded(path) && [...ancestors(path)].some((dir) => opaque.has(dir))) include.add(path);
  for (const [path, old] of before.entries) {
    if (excluded(path)) continue;
    const now = after.entries.get(path);
    if (now !== undefined) continue;
    deleted.push(path);
    const parent = parentOf(path);
    const was = before.entries.get(parent);
    const is = after.entries.get(parent);
    const parentKept =
      parent === '' ||
      (is?.type === 'directory' &&
        was?.type === 'directory' &&
        !opaque.has(parent) &&
        !whiteouts.has(parent));
    if (parentKept && old !== undefined) whiteouts.add(path);
  }
  for (const path of [...include, ...whiteouts]) for (const dir of ancestors(path)) include.add(dir);
  return {
    added: added.sort(),
    modified: modified.sort(),
    deleted: deleted.sort(),
    items: orderItems(after, include, whiteouts, opaque),
  };
}

/** The parent directories of a path, nearest last, the root ('') excluded. */
function* ancestors(path: string): Generator<string> {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) yield parts.slice(0, i).join('/');
}

function orderItems(
  after: TreeSnapshot,
  include: ReadonlySet<string>,
  whiteouts: ReadonlySet<string>,
  opaque: ReadonlySet<string>,
): LayerItem[] {
  const children = new Map<string, { entries: string[]; whiteouts: string[] }>();
  const slot = (dir: string) => {
    let s = children.get(dir);
    if (s === undefined) {
      s = { entries: [], whiteouts: [] };
      children.set(dir, s);
    }
    return s;
  };
  for (const path of include) slot(parentOf(path)).entries.push(path);
  for (const path of whiteouts) slot(parentOf(path)).whiteouts.push(path);
  const items: LayerItem[] = [];
  const firstOfInode = new Map<string, string>();
  const byName = (a: string, b: string): number =>
    baseOf(a) < baseOf(b) ? -1 : baseOf(a) > baseOf(b) ? 1 : 0;
  const walk = (dir: string): void => {
    if (opaque.has(dir)) items.push({ kind: 'opaque', dir });
    const s = children.get(dir);
    if (s === undefined) return;
    for (const path of s.whiteouts.sort(byName)) items.push({ kind: 'whiteout', path });
    for (const path of s.entries.sort(byName)) {
      const entry = after.entries.get(path)!;
      if (entry.type === 'file' && entry.nlink > 1) {
        const key = `${entry.dev}:${entry.ino}`;
        const first = firstOfInode.get(key);
        if (first !== undefined) {
          items.push({ kind: 'entry', path, entry, hardlinkTo: first });
          continue;
        }
        firstOfInode.set(key, path);
      }
      items.push({ kind: 'entry', path, entry });
      if (entry.type === 'directory') walk(path);
    }
  };
  walk('');
  return items;
}
