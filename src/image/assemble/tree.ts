import type { TarEntryType } from '../../archive/index.js';
import { LarderError } from '../../core/index.js';

/**
 * One entry of the image's root filesystem. File contents are held in memory for now (`data`);
 * a later streaming version replaces `data` with a reference into the package's data member,
 * which is why contents are never read back except for the few files assembly edits.
 */
export interface RootNode {
  type: TarEntryType;
  /** Permission bits (`& 0o7777`). */
  mode: number;
  uid: number;
  gid: number;
  /** Names from the package tar, used when the image's passwd/group do not name the id. */
  uname: string;
  gname: string;
  mtime: number;
  /** Symlink target, or the path of the first name of a hard link. */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** `SCHILY.xattr.<name>` records, written as PAX records in the layer. */
  xattrs: Array<[string, Buffer]>;
  data?: Buffer;
  /** Content SHA-1 (hex): of the data, or of the symlink target. */
  sha1?: string;
  /** Name of the installed package that owns this path (undefined: synthesized). */
  owner?: string;
}

const MAX_LINK_HOPS = 40;

/** A path → node map with directory semantics: parents exist, symlinked parents are followed. */
export class RootTree {
  private readonly nodes = new Map<string, RootNode>();

  get(path: string): RootNode | undefined {
    return this.nodes.get(path);
  }

  /** Every path, in no particular order. */
  paths(): IterableIterator<string> {
    return this.nodes.keys();
  }

  set(path: string, node: RootNode): void {
    this.nodes.set(path, node);
  }

  delete(path: string): void {
    this.nodes.delete(path);
  }

  /**
   * Resolves the directory part of `path` through symlinks already in the tree (apk writes
   * through `lib -> usr/lib` the same way) and returns the real path. Missing parents are not
   * created here. Throws TAR_UNSAFE_PATH when a link leads outside the root or loops, and
   * PACKAGE_INVALID when a parent is not a directory.
   */
  resolveParent(path: string, who: string): string {
    const parts = path.split('/');
    const base = parts.pop() ?? '';
    const dir = this.resolveDir(parts, who, path, 0);
    return dir === '' ? base : `${dir}/${base}`;
  }

  private resolveDir(parts: readonly string[], who: string, original: string, hops: number): string {
    let current: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (current.pop() === undefined) throw unsafe(who, original, 'resolves outside the root');
        continue;
      }
      const candidate = [...current, part].join('/');
      const node = this.nodes.get(candidate);
      if (node?.type === 'symlink') {
        if (hops >= MAX_LINK_HOPS) throw unsafe(who, original, 'too many levels of symbolic links');
        const target = node.linkname ?? '';
        const from = target.startsWith('/') ? [] : current;
        const resolved = this.resolveDir([...from, ...target.split('/')], who, original, hops + 1);
        current = resolved === '' ? [] : resolved.split('/');
        continue;
      }
      if (node !== undefined && node.type !== 'directory') {
        throw new LarderError(
          'PACKAGE_INVALID',
          `${who}: ${original}: parent ${candidate} is not a directory`,
        );
      }
      current.push(part);
    }
    return current.join('/');
  }

  /** Creates `path` and its missing parents as directories (apk's `mkdir -p`), like apko's MkdirAll. */
  mkdirAll(path: string, node: () => RootNode): void {
    if (path === '' || path === '.') return;
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      const existing = this.nodes.get(p);
      if (existing === undefined) this.nodes.set(p, node());
      else if (existing.type !== 'directory' && existing.type !== 'symlink') {
        throw new LarderError('PACKAGE_INVALID', `cannot create directory ${path}: ${p} is not a directory`);
      }
    }
  }

  /**
   * Every path in Go `fs.WalkDir` order: names byte-sorted within each directory, a directory
   * before its contents. Symlinks are not followed, so nothing under them is visited twice.
   */
  walk(): string[] {
    const children = new Map<string, string[]>();
    for (const path of this.nodes.keys()) {
      const slash = path.lastIndexOf('/');
      const parent = slash < 0 ? '' : path.slice(0, slash);
      const list = children.get(parent);
      if (list === undefined) children.set(parent, [path]);
      else list.push(path);
    }
    const out: string[] = [];
    const visit = (dir: string): void => {
      const list = children.get(dir);
      if (list === undefined) return;
      list.sort(compareBytes);
      for (const path of list) {
        out.push(path);
        if (this.nodes.get(path)?.type === 'directory') visit(path);
      }
    };
    visit('');
    return out;
  }
}

/** Byte order of UTF-8 strings (Go's string comparison). */
export function compareBytes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function unsafe(who: string, path: string, why: string): LarderError {
  return new LarderError('TAR_UNSAFE_PATH', `${who}: unsafe path ${JSON.stringify(path)}: ${why}`);
}

/** A directory node owned by nobody, for synthesized entries. */
export function synthDir(mode: number, mtime: number): RootNode {
  return { type: 'directory', mode, uid: 0, gid: 0, uname: '', gname: '', mtime, xattrs: [] };
}

/** A regular-file node with the given content, owned by root. */
export function synthFile(data: Buffer | string, mode: number, mtime: number): RootNode {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return { type: 'file', mode, uid: 0, gid: 0, uname: '', gname: '', mtime, xattrs: [], data: bytes };
}
