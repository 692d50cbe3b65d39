import { TAR_END_BLOCKS, type TarWriteEntry, tarHeader, tarPadding } from '../../archive/index.js';
import { parseGroupNames, parsePasswd, textOf } from './accounts.js';
import type { RootNode, RootTree } from './tree.js';

/**
 * The layer tar of a finished tree, as apko's `writeTar` writes it: every path in `fs.WalkDir`
 * order without `./`, uname/gname from the image's own `/etc/passwd` and `/etc/group` (else the
 * names the package tar carried), xattrs as `SCHILY.xattr.*` PAX records, only mtime, then the
 * end-of-archive blocks. Headers are computed as the stream is read. `entries` (default: the
 * whole tree in walk order) writes a part of the tree instead, e.g. one layer of several.
 */
export async function* layerTar(
  tree: RootTree,
  entries?: Iterable<readonly [string, RootNode]>,
): AsyncGenerator<Buffer> {
  const users = new Map<number, string>();
  for (const u of parsePasswd(textOf(tree, 'etc/passwd'))) users.set(u.uid, u.name);
  const groups = parseGroupNames(textOf(tree, 'etc/group'));
  for (const [path, node] of entries ?? walkedEntries(tree)) {
    const entry = headerOf(path, node, users.get(node.uid) ?? node.uname, groups.get(node.gid) ?? node.gname);
    yield tarHeader(entry);
    const size = entry.size ?? 0;
    if (size > 0 && node.data !== undefined) {
      yield node.data;
      const pad = tarPadding(size);
      if (pad.length > 0) yield pad;
    }
  }
  yield TAR_END_BLOCKS;
}

function headerOf(path: string, node: RootNode, uname: string, gname: string): TarWriteEntry {
  const size = node.type === 'file' ? (node.data?.length ?? 0) : 0;
  return {
    name: path,
    type: node.type,
    mode: node.mode,
    mtime: node.mtime,
    uid: node.uid,
    gid: node.gid,
    uname,
    gname,
    size,
    ...(node.linkname !== undefined ? { linkname: node.linkname } : {}),
    ...(node.devmajor !== undefined ? { devmajor: node.devmajor, devminor: node.devminor ?? 0 } : {}),
    ...(node.xattrs.length > 0 && (node.type === 'file' || node.type === 'directory')
      ? { pax: node.xattrs }
      : {}),
  };
}

function* walkedEntries(tree: RootTree): Generator<readonly [string, RootNode]> {
  for (const path of tree.walk()) {
    const node = tree.get(path);
    if (node !== undefined) yield [path, node];
  }
}
