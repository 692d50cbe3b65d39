import type { InstalledPackage } from '../../apk/index.js';
import { parseDependency } from '../../apk/index.js';
import { TAR_END_BLOCKS } from '../../archive/index.js';
import { type RootTree, synthDir, synthFile } from './tree.js';

/** Where apko keeps the apk database (formats.md §4.3); `lib/apk` leads here. */
export const APK_DB_DIR = 'usr/lib/apk/db';

// apko InitDB: base directories with exact modes, then apk's own directories (0755).
const BASE_DIRS: ReadonlyArray<readonly [string, number]> = [
  ['tmp', 0o1777],
  ['proc', 0o555],
  ['dev', 0o755],
  ['etc', 0o755],
  ['opt', 0o755],
  ['var', 0o755],
  ['usr', 0o755],
];
const APK_DIRS = [
  'etc/apk',
  'etc/apk/keys',
  'usr/lib',
  'usr/lib/apk',
  APK_DB_DIR,
  'usr/lib/apk/exec',
  'var/cache',
  'var/cache/apk',
  'var/cache/misc',
];

/** apko InitDB: the skeleton every image starts from, before any package is installed. */
export function initDb(tree: RootTree, arch: string, mtime: number): void {
  for (const [path, mode] of BASE_DIRS) tree.set(path, synthDir(mode, mtime));
  for (const path of APK_DIRS) tree.mkdirAll(path, () => synthDir(0o755, mtime));
  tree.set('etc/apk/world', synthFile('\n', 0o644, mtime));
  tree.set('etc/apk/repositories', synthFile('\n', 0o644, mtime));
  tree.set('etc/apk/arch', synthFile(`${arch}\n`, 0o644, mtime));
  tree.set(`${APK_DB_DIR}/lock`, synthFile('', 0o600, mtime));
  tree.set(`${APK_DB_DIR}/triggers`, synthFile('', 0o644, mtime));
  tree.set(`${APK_DB_DIR}/installed`, synthFile('', 0o644, mtime));
  tree.set(`${APK_DB_DIR}/scripts.tar`, synthFile(TAR_END_BLOCKS, 0o644, mtime));
}

/**
 * apko `resolveApkDB`: make `lib/apk/db` reach `usr/lib/apk/db`. Nothing to do when `lib` is
 * already a symlink to `usr/lib` or `lib/apk` one to `usr/lib/apk`; else `lib -> usr/lib` when a
 * package provides `merged-lib` (and `lib` is free), else a `lib` directory holding
 * `apk -> ../usr/lib/apk`.
 */
export function linkApkDb(tree: RootTree, installed: readonly InstalledPackage[], mtime: number): void {
  const lib = tree.get('lib');
  if (lib?.type === 'symlink' && ['usr/lib', '/usr/lib'].includes(lib.linkname ?? '')) return;
  const libApk = tree.get('lib/apk');
  if (libApk?.type === 'symlink' && ['../usr/lib/apk', '/usr/lib/apk'].includes(libApk.linkname ?? ''))
    return;
  const mergedLib = installed.some((p) =>
    p.record.provides.some((w) => parseDependency(w).name === 'merged-lib'),
  );
  if (mergedLib && lib === undefined) {
    tree.set('lib', symlinkNode('usr/lib', mtime));
    return;
  }
  if (lib === undefined) tree.set('lib', synthDir(0o755, mtime));
  if (libApk === undefined) tree.set('lib/apk', symlinkNode('../usr/lib/apk', mtime));
}

const DEVICES: ReadonlyArray<readonly [string, number, number, number]> = [
  ['dev/zero', 1, 5, 0o666],
  ['dev/urandom', 1, 9, 0o666],
  ['dev/null', 1, 3, 0o666],
  ['dev/random', 1, 8, 0o666],
  ['dev/console', 5, 1, 0o620],
];

/** apko InstallCharDevices: the five character devices, unless a package already put something there. */
export function addCharDevices(tree: RootTree, mtime: number): void {
  tree.mkdirAll('dev', () => synthDir(0o755, mtime));
  for (const [path, devmajor, devminor, mode] of DEVICES) {
    if (tree.get(path) !== undefined) continue;
    tree.set(path, { ...synthDir(mode, mtime), type: 'chardev', devmajor, devminor });
  }
}

export function symlinkNode(target: string, mtime: number) {
  return { ...synthDir(0o777, mtime), type: 'symlink' as const, linkname: target };
}
