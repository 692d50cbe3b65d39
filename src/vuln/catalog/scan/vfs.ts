// The filesystem an image's layers make, as metadata only: path → type, mode, size, link target
// and the layer that wrote it. Layers apply in order; whiteouts (`.wh.<name>`) delete what lower
// layers wrote, opaque markers (`.wh..wh..opq`) empty a directory of lower layers' entries.

/** The entry types a filesystem holds (tar's types). */
export type VfsType = 'file' | 'hardlink' | 'symlink' | 'chardev' | 'blockdev' | 'directory' | 'fifo';

/** One path's metadata. */
export interface VfsNode {
  readonly type: VfsType;
  readonly mode: number;
  readonly size: number;
  /** Symlink target as written, or a hard link's target path. */
  readonly linkTarget?: string;
  /** Index of the layer that wrote it (0 for a directory or a single archive). */
  readonly layer: number;
}

/** What one layer does to the filesystem, in the order it does it. */
export type VfsOp =
  | { readonly kind: 'add'; readonly path: string; readonly node: Omit<VfsNode, 'layer'> }
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'opaque'; readonly path: string };

const MAX_HOPS = 40;

/** A path's components joined without `.` or empty parts; undefined when it has a `..` (tar entries never need one). */
export function normalizePath(name: string): string | undefined {
  const parts: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return undefined;
    parts.push(seg);
  }
  return parts.join('/');
}

export class VirtualFs {
  private readonly nodes = new Map<string, VfsNode>();
  /** Directory path → the paths directly under it ever added (kept so whiteouts cost what they remove). */
  private readonly children = new Map<string, Set<string>>();
  /** Resolutions of `resolve`, valid until the next `apply`. */
  private readonly resolved = new Map<string, string>();

  /** Applies the operations of layer number `layer`; layers must come lowest first. */
  apply(ops: readonly VfsOp[], layer: number): void {
    this.resolved.clear();
    for (const op of ops) {
      if (op.kind === 'add') {
        const before = this.nodes.get(op.path);
        if (before?.type === 'directory' && op.node.type !== 'directory') this.removeBelow(op.path, layer);
        this.nodes.set(op.path, { ...op.node, layer });
        this.link(op.path);
      } else if (op.kind === 'whiteout') {
        const before = this.nodes.get(op.path);
        if (before !== undefined && before.layer < layer) this.nodes.delete(op.path);
        this.removeBelow(op.path, layer);
      } else {
        this.removeBelow(op.path, layer);
      }
    }
  }

  get(path: string): VfsNode | undefined {
    return this.nodes.get(path);
  }

  /** Every path, in no particular order. */
  paths(): IterableIterator<string> {
    return this.nodes.keys();
  }

  /**
   * The path after following symlinks in every component (relative targets from their
   * directory, absolute ones from the root; `..` stops at the root, as in the kernel);
   * undefined for a symlink loop. Components that do not exist are kept as they are.
   */
  resolve(path: string): string | undefined {
    return this.resolveFrom('', path, 0);
  }

  // `cur` is already resolved; each step's result is cached by (resolved parent, component).
  private resolveFrom(base: string, path: string, hops: number): string | undefined {
    let cur = base;
    for (const seg of path.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') {
        cur = cur.slice(0, Math.max(0, cur.lastIndexOf('/')));
        continue;
      }
      const candidate = cur === '' ? seg : `${cur}/${seg}`;
      let next = this.resolved.get(candidate);
      if (next === undefined) {
        const node = this.nodes.get(candidate);
        if (node?.type === 'symlink' && node.linkTarget !== undefined) {
          if (hops >= MAX_HOPS) return undefined;
          const target = node.linkTarget;
          next = this.resolveFrom(target.startsWith('/') ? '' : cur, target, hops + 1);
          if (next === undefined) return undefined;
        } else next = candidate;
        this.resolved.set(candidate, next);
      }
      cur = next;
    }
    return cur;
  }

  // Removes what lower layers put under `dir` (entries of `layer` itself stay: a layer's own
  // entries may come before its opaque marker).
  private removeBelow(dir: string, layer: number): void {
    const pending = [...(this.children.get(dir) ?? [])];
    while (pending.length > 0) {
      const path = pending.pop()!;
      const node = this.nodes.get(path);
      if (node !== undefined && node.layer < layer) this.nodes.delete(path);
      const below = this.children.get(path);
      if (below !== undefined) pending.push(...below);
    }
  }

  // Records `path` under each of its ancestors (which need not be entries themselves).
  private link(path: string): void {
    let child = path;
    while (child !== '') {
      const slash = child.lastIndexOf('/');
      const parent = slash < 0 ? '' : child.slice(0, slash);
      let set = this.children.get(parent);
      if (set === undefined) {
        set = new Set();
        this.children.set(parent, set);
      }
      if (set.has(child)) return;
      set.add(child);
      child = parent;
    }
  }
}
