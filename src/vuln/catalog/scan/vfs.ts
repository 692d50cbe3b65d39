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

  /** Applies the operations of layer number `layer`; layers must come lowest first. */
  apply(ops: readonly VfsOp[], layer: number): void {
    for (const op of ops) {
      if (op.kind === 'add') {
        const before = this.nodes.get(op.path);
        if (before?.type === 'directory' && op.node.type !== 'directory') this.removeBelow(op.path, layer);
        this.nodes.set(op.path, { ...op.node, layer });
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
    let pending = path.split('/').filter((s) => s !== '');
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const seg = pending.shift()!;
      if (seg === '.') continue;
      if (seg === '..') {
        done.pop();
        continue;
      }
      const candidate = [...done, seg].join('/');
      const node = this.nodes.get(candidate);
      if (node?.type !== 'symlink' || node.linkTarget === undefined) {
        done.push(seg);
        continue;
      }
      if (++hops > MAX_HOPS) return undefined;
      const target = node.linkTarget.split('/').filter((s) => s !== '');
      if (node.linkTarget.startsWith('/')) done.length = 0;
      pending = [...target, ...pending];
    }
    return done.join('/');
  }

  // Removes what lower layers put under `dir` (entries of `layer` itself stay: a layer's own
  // entries may come before its opaque marker).
  private removeBelow(dir: string, layer: number): void {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const [path, node] of this.nodes) {
      if (path.startsWith(prefix) && path !== dir && node.layer < layer) this.nodes.delete(path);
    }
  }
}
