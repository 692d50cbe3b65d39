import { createHash } from 'node:crypto';
import type { ApkPackage, InstalledAcl, InstalledDir, InstalledFile } from '../../apk/index.js';
import { LarderError, q1Checksum } from '../../core/index.js';
import { type OwnerInfo, overwrites } from './conflicts.js';
import type { StagedEntry } from './read-entries.js';
import { type RootNode, type RootTree, synthDir } from './tree.js';

const XATTR_PREFIX = 'SCHILY.xattr.';

/** Who owns each non-directory path, so a later package can take it over (apk semantics). */
export interface Ownership {
  readonly owners: Map<string, { info: OwnerInfo; sha1?: string; dir: InstalledDir; file: InstalledFile }>;
}

export function newOwnership(): Ownership {
  return { owners: new Map() };
}

/**
 * Installs one package's staged entries into the tree, as apk-tools extracts a package: parents
 * through existing symlinks, directories first-come (a directory keeps the owner and mode it was
 * created with), files by the overwrite rules of {@link overwrites}. Returns the package's
 * installed-database file list (paths as the package names them).
 */
export function installEntries(
  tree: RootTree,
  pkg: ApkPackage,
  entries: readonly StagedEntry[],
  ownership: Ownership,
  mtime: number,
): InstalledDir[] {
  const p = pkg.pkginfo;
  const who = `${p.pkgname}-${p.pkgver}`;
  const info: OwnerInfo = {
    name: p.pkgname,
    version: p.pkgver,
    ...(p.origin !== undefined ? { origin: p.origin } : {}),
    replaces: p.replaces,
    replacesPriority: p.replaces_priority ?? 0,
  };
  const dirs = new Map<string, InstalledDir>();
  const dirOf = (path: string): InstalledDir => {
    const known = dirs.get(path);
    if (known !== undefined) return known;
    const dir: InstalledDir = { path, files: [] };
    dirs.set(path, dir);
    return dir;
  };
  for (const entry of entries) {
    if (entry.path === '.') continue;
    const real = tree.resolveParent(entry.path, who);
    const slash = real.lastIndexOf('/');
    if (slash > 0) tree.mkdirAll(real.slice(0, slash), () => synthDir(0o755, mtime));
    const node = toNode(entry, p.pkgname, tree, who);
    const existing = tree.get(real);
    if (entry.header.type === 'directory') {
      const dir = dirOf(entry.path);
      const acl = aclOf(node, 0o755);
      if (acl !== undefined) dir.acl = acl;
      if (existing === undefined) tree.set(real, node);
      else if (existing.type !== 'directory' && existing.type !== 'symlink')
        throw new LarderError(
          'PACKAGE_INVALID',
          `${who}: directory ${entry.path} is a ${existing.type} already`,
        );
      continue;
    }
    if (existing?.type === 'directory')
      throw new LarderError('PACKAGE_INVALID', `${who}: ${entry.path} is a directory already`);
    const previous = ownership.owners.get(real);
    if (previous !== undefined && previous.info.name !== p.pkgname) {
      if (!overwrites(entry.path, previous.info, previous.sha1, info, entry.sha1)) continue;
      const at = previous.dir.files.indexOf(previous.file);
      if (at >= 0) previous.dir.files.splice(at, 1);
    }
    const slashIn = entry.path.lastIndexOf('/');
    const dir = dirOf(slashIn < 0 ? '' : entry.path.slice(0, slashIn));
    const file: InstalledFile = { name: entry.path.slice(slashIn + 1) };
    const acl = aclOf(node, 0o644);
    if (acl !== undefined) file.acl = acl;
    const sha1 = node.sha1;
    if (sha1 !== undefined) file.checksum = q1Checksum(Buffer.from(sha1, 'hex'));
    dir.files.push(file);
    tree.set(real, node);
    ownership.owners.set(real, { info, ...(sha1 !== undefined ? { sha1 } : {}), dir, file });
  }
  return [...dirs.values()];
}

function toNode(entry: StagedEntry, owner: string, tree: RootTree, who: string): RootNode {
  const h = entry.header;
  const xattrs: Array<[string, Buffer]> = [];
  for (const [key, value] of h.pax) if (key.startsWith(XATTR_PREFIX)) xattrs.push([key, value]);
  const node: RootNode = {
    type: h.type,
    mode: h.mode,
    uid: h.uid,
    gid: h.gid,
    uname: h.uname,
    gname: h.gname,
    mtime: h.mtime,
    xattrs,
    owner,
  };
  if (entry.data !== undefined) node.data = entry.data;
  if (entry.sha1 !== undefined) node.sha1 = entry.sha1;
  if (h.type === 'symlink') node.linkname = h.linkname;
  if (h.type === 'hardlink') {
    const target = tree.resolveParent(h.linkname, who);
    const linked = tree.get(target);
    if (linked === undefined || linked.type !== 'file')
      throw new LarderError(
        'PACKAGE_INVALID',
        `${who}: hard link ${entry.path} -> ${h.linkname}: no such file`,
      );
    node.linkname = target;
    if (linked.sha1 !== undefined) node.sha1 = linked.sha1;
  }
  if (h.type === 'chardev' || h.type === 'blockdev') {
    node.devmajor = h.devmajor;
    node.devminor = h.devminor;
  }
  return node;
}

/** The `M:`/`a:` ACL of a node, or undefined when it is apk's default (root, `defaultMode`, no xattrs). */
function aclOf(node: RootNode, defaultMode: number): InstalledAcl | undefined {
  const xattrChecksum = xattrDigest(node.xattrs);
  if (node.uid === 0 && node.gid === 0 && node.mode === defaultMode && xattrChecksum === undefined)
    return undefined;
  return {
    uid: node.uid,
    gid: node.gid,
    mode: node.mode,
    ...(xattrChecksum !== undefined ? { xattrChecksum } : {}),
  };
}

/**
 * apk-tools' xattr checksum (`apk_fileinfo_hash_xattr_array`): SHA-1 over the attributes sorted
 * by name, each as name, NUL, value.
 */
function xattrDigest(xattrs: ReadonlyArray<[string, Buffer]>): string | undefined {
  if (xattrs.length === 0) return undefined;
  const hash = createHash('sha1');
  const sorted = xattrs
    .map(([key, value]): [string, Buffer] => [key.slice(XATTR_PREFIX.length), value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of sorted) hash.update(`${name}\0`).update(value);
  return q1Checksum(hash.digest());
}
