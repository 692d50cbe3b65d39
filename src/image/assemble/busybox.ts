import type { InstalledPackage } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { BUSYBOX_APPLETS, BUSYBOX_DEFAULT_VERSION } from './busybox-applets.js';
import { type RootNode, type RootTree, synthDir } from './tree.js';
import { cleanParts, contentOf, isRegular, lookup, mkdirAllFollow } from './tree-lookup.js';

const BUSYBOX = '/bin/busybox';
const PATHS_DIR = 'etc/busybox-paths.d';
/** apko's `basicSemverRegex`: `1.36.1-r3` → `1.36.1`. */
const BASIC_SEMVER = /^v?((\d+)\.(\d+)\.(\d+))(?:-(\w+))?$/;

/**
 * Creates busybox's applet symlinks as apko's `installBusyboxLinks` does, instead of running
 * `busybox --install -s`. Nothing happens unless `/bin/busybox` exists. The links come from
 * `/etc/busybox-paths.d/<package>` (shipped by Alpine busybox ≥ 1.36.0-r8 and Wolfi ≥ 1.36.0-r3),
 * else from the per-release table (`1.36.1-r3` → 1.36.1; an unknown release uses the newest).
 * Each link is a symlink to `/bin/busybox`, mode 0777, owned by root, with busybox's mtime, which
 * its directory also takes; missing directories are made 0755. A path already holding a symlink
 * or a regular file is left alone, as `busybox --install -s` does.
 *
 * @param mtime Time of directories created above a link's own directory.
 * @throws LarderError PACKAGE_INVALID when no installed package is or provides busybox, its
 *   version is not `X.Y.Z[-rN]` (table route), or a link's path holds a directory or a device.
 */
export function installBusyboxLinks(
  tree: RootTree,
  installed: readonly InstalledPackage[],
  mtime: number,
): void {
  const busybox = lookup(tree, BUSYBOX, true, BUSYBOX)?.node;
  if (busybox === undefined) return;
  const pkg = busyboxPackage(installed);
  const links = linksFor(tree, pkg);
  for (const link of links) {
    if (link === BUSYBOX || link === '') continue;
    if (dirIsDot(link)) continue;
    const parts = cleanParts(link);
    const base = parts.pop();
    if (base === undefined) continue;
    const dir = mkdirAllFollow(tree, parts.join('/'), () => synthDir(0o755, mtime), `busybox link ${link}`);
    if (dir !== '') tree.set(dir, { ...tree.get(dir)!, mtime: busybox.mtime });
    const path = dir === '' ? base : `${dir}/${base}`;
    const existing = tree.get(path);
    if (existing === undefined) tree.set(path, linkNode(busybox.mtime));
    else if (existing.type !== 'symlink' && !isRegular(existing)) {
      throw new LarderError(
        'PACKAGE_INVALID',
        `busybox link ${link}: /${path} already exists and is a ${existing.type}, not a file or symlink`,
      );
    }
  }
}

/** Go's `filepath.Dir(link) == "."`: a bare name, or a relative one whose directory part cleans away. */
function dirIsDot(link: string): boolean {
  const slash = link.lastIndexOf('/');
  return slash < 0 || (!link.startsWith('/') && cleanParts(link.slice(0, slash + 1)).length === 0);
}

/** The package apko takes busybox's version from: named busybox, else the last to provide it. */
function busyboxPackage(installed: readonly InstalledPackage[]): { name: string; version: string } {
  let found: { name: string; version: string } | undefined;
  for (const { record } of installed) {
    if (record.name === 'busybox') return { name: record.name, version: record.version };
    if (record.provides.some((p) => p.includes('busybox')))
      found = { name: record.name, version: record.version };
  }
  if (found === undefined)
    throw new LarderError(
      'PACKAGE_INVALID',
      `${BUSYBOX} exists but no installed package is or provides busybox`,
    );
  return found;
}

/** Lines of `/etc/busybox-paths.d/<name>` when it is a readable file, else the release's table. */
function linksFor(tree: RootTree, pkg: { name: string; version: string }): string[] {
  const manifest = `${PATHS_DIR}/${pkg.name}`;
  const node = lookup(tree, manifest, true, `/${manifest}`)?.node;
  const data = node === undefined ? undefined : contentOf(tree, node);
  if (data !== undefined) return data.toString('utf8').split('\n');
  const m = BASIC_SEMVER.exec(pkg.version);
  if (m === null)
    throw new LarderError(
      'PACKAGE_INVALID',
      `${pkg.name}: busybox version ${JSON.stringify(pkg.version)} is not X.Y.Z[-rN] and /${manifest} is missing`,
    );
  const table = BUSYBOX_APPLETS[m[1]!] ?? BUSYBOX_APPLETS[BUSYBOX_DEFAULT_VERSION] ?? {};
  return Object.entries(table).flatMap(([dir, names]) => names.split(' ').map((n) => `${dir}/${n}`));
}

function linkNode(mtime: number): RootNode {
  return { ...synthDir(0o777, mtime), type: 'symlink', linkname: BUSYBOX };
}
