import { isLarderError, LarderError } from '../../../core/index.js';
import { compareBytes, type RootTree } from '../tree.js';
import { contentOf, isRegular, type Lookup, lookup } from '../tree-lookup.js';
import type { ConfFs } from './conf.js';

/**
 * The finished root tree seen as apko's in-memory filesystem, for the ld.so.cache generator:
 * paths relative to the root, symlinks followed as `getNode` follows them, directory listings
 * in byte order (built once; the tree must not change while this view is used).
 */
export class TreeFs implements ConfFs {
  private children: Map<string, string[]> | undefined;

  constructor(private readonly tree: RootTree) {}

  /** Where `path` leads with every link followed; undefined when missing or a link loops (Go's Stat error). */
  follow(path: string): Lookup | undefined {
    try {
      const found = lookup(this.tree, path, true, `/${path}`);
      return found?.node === undefined ? undefined : found;
    } catch (err) {
      if (isLarderError(err, 'TAR_UNSAFE_PATH')) return undefined;
      throw err;
    }
  }

  exists(path: string): boolean {
    return this.follow(path) !== undefined;
  }

  readDir(path: string): string[] | undefined {
    const found = this.follow(path);
    return found?.node?.type === 'directory' ? this.list(found.real) : undefined;
  }

  readFile(path: string): Uint8Array | undefined {
    const node = this.follow(path)?.node;
    return node === undefined ? undefined : contentOf(this.tree, node);
  }

  /**
   * A library directory's real path and entry names; undefined when it does not exist (apko
   * skips it).
   *
   * @throws LarderError PACKAGE_INVALID when it exists but is not a directory, TAR_UNSAFE_PATH
   *   when a link on the way loops (apko fails the build in both cases).
   */
  libDir(path: string): { real: string; names: string[] } | undefined {
    const found = lookup(this.tree, path, true, `ld.so.conf directory /${path}`);
    if (found?.node === undefined) return undefined;
    if (found.node.type !== 'directory')
      throw new LarderError(
        'PACKAGE_INVALID',
        `ld.so.conf directory /${path} is a ${found.node.type}, not a directory`,
      );
    return { real: found.real, names: this.list(found.real) };
  }

  /** The bytes of a regular file, or of the regular file a symlink leads to; else undefined. */
  regularContent(path: string): Uint8Array | undefined {
    const node = this.tree.get(path);
    const target = node?.type === 'symlink' ? this.follow(path)?.node : node;
    return target !== undefined && isRegular(target) ? contentOf(this.tree, target) : undefined;
  }

  private list(dir: string): string[] {
    if (this.children === undefined) {
      const children = new Map<string, string[]>();
      for (const path of this.tree.paths()) {
        const slash = path.lastIndexOf('/');
        const parent = slash < 0 ? '' : path.slice(0, slash);
        const names = children.get(parent) ?? [];
        names.push(path.slice(slash + 1));
        children.set(parent, names);
      }
      for (const names of children.values()) names.sort(compareBytes);
      this.children = children;
    }
    return this.children.get(dir) ?? [];
  }
}
