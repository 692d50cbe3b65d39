import { formatInstalledDb, type InstalledPackage } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import type { ImageConfig } from '../config/model.js';
import { applyAccounts, textOf } from './accounts.js';
import { apkoJson, lockedPackageList, writeApkoJson } from './apko-json.js';
import { installBusyboxLinks } from './busybox.js';
import { writeCaBundleChecksums } from './ca-checksums.js';
import { installCertificates } from './certificates.js';
import { APK_DB_DIR, addCharDevices, initDb, linkApkDb } from './init-db.js';
import { installEntries, newOwnership } from './install-package.js';
import {
  installedRecord,
  type ScriptEntry,
  scriptEntries,
  scriptsTar,
  triggerLines,
} from './installed-record.js';
import { layerTar } from './layer-tar.js';
import { updateLdSoCache } from './ldso-cache/update-cache.js';
import { type OsRelease, parseOsRelease } from './os-release.js';
import { writeConfiguredOsRelease } from './os-release-config.js';
import { applyPaths } from './paths.js';
import { readPackagesInOrder } from './read-entries.js';
import { isServiceBundle, writeSupervisionTree } from './s6.js';
import { compareBytes, RootTree, synthDir, synthFile } from './tree.js';

/** One package to install, in install order. */
export interface AssemblePackage {
  /** A verified .apk on disk. */
  readonly path: string;
  /** Tag of the repository it came from (`@tag`), recorded as `s:`. */
  readonly repositoryTag?: string;
}

export interface AssembleOptions {
  /** apk architecture, written to `/etc/apk/arch`. */
  readonly arch: string;
  readonly packages: readonly AssemblePackage[];
  /** Accounts and paths are applied from it. */
  readonly config: ImageConfig;
  /** Time of every synthesized entry and the image `created` time; default 0 (apko's choice). */
  readonly sourceDateEpoch?: number;
  /** `/etc/apk/repositories` content: config + runtime repositories, never build ones. */
  readonly runtimeRepositories: readonly string[];
  /** `/etc/apk/keys/<name>`. */
  readonly keys: ReadonlyArray<{ readonly name: string; readonly pem: string | Uint8Array }>;
  /**
   * `larder install` (apk add --root): `/etc/apk/world` gets exactly these entries and no
   * `/etc/apko.json` is written. Images leave it unset: their world is what apko leaves, every
   * installed package pinned `name=version` (see lockedPackageList) plus the base image's pins.
   */
  readonly apkWorld?: readonly string[];
  /**
   * The installed database of a `contents.baseimage`: its records come first in the new
   * database (apko), and accounts are left to the base's own files.
   */
  readonly baseInstalled?: readonly InstalledPackage[];
  /**
   * `contents.packages` of `/etc/apko.json` when building from a lock (its `name=version`
   * entries in lock order); by default every installed package, as apko locks a config.
   */
  readonly lockedPackages?: readonly string[];
}

export interface AssembledRootfs {
  /** The single layer, uncompressed; read it once. */
  readonly tar: AsyncIterable<Buffer>;
  /** The finished tree, for writing it as several layers (`layering`). */
  readonly tree: RootTree;
  /** The installed database, in install order (for SBOMs). */
  readonly installed: InstalledPackage[];
  readonly osRelease?: OsRelease;
  /** SOURCE_DATE_EPOCH when given, else the newest package build time (apko). */
  readonly created: number;
}

/**
 * Builds an image root filesystem as apko does (formats.md §4.3-4.8), in apko's order: InitDB,
 * packages (file conflicts resolved by apk-tools' rules), installed database, scripts.tar,
 * triggers, world, repositories, keys, the `lib/apk` link, accounts, `/etc/apko.json`, paths,
 * `/etc/os-release` from the config (when no package has one), certificates and the CA bundle
 * checksums, the s6 service tree, busybox applet links, character devices, `/etc/ld.so.cache`
 * (glibc images). Package install scripts are recorded, never run: the links and the cache are
 * made natively, as apko makes them.
 *
 * @throws LarderError PACKAGE_INVALID for a file conflict (naming both packages and the path) or a
 *   broken package, TAR_UNSAFE_PATH for entries escaping the root, CONFIG_INVALID for bad `paths`,
 *   `certificates` or service names.
 */
export async function assembleRootfs(options: AssembleOptions): Promise<AssembledRootfs> {
  const mtime = options.sourceDateEpoch ?? 0;
  const tree = new RootTree();
  initDb(tree, options.arch, mtime);
  const ownership = newOwnership();
  const installed: InstalledPackage[] = [...(options.baseInstalled ?? [])];
  const scripts: ScriptEntry[] = [];
  const pkgs = [];
  let newest = 0;
  let at = 0;
  for await (const { pkg, entries } of readPackagesInOrder(options.packages.map((p) => p.path))) {
    const input = options.packages[at++]!;
    const files = installEntries(tree, pkg, entries, ownership, mtime);
    installed.push({ record: installedRecord(pkg, input.repositoryTag), files });
    scripts.push(...scriptEntries(pkg));
    pkgs.push(pkg);
    newest = Math.max(newest, pkg.pkginfo.builddate ?? 0);
  }
  const db = (name: string, data: Buffer | string, mode: number) =>
    tree.set(`${APK_DB_DIR}/${name}`, synthFile(data, mode, mtime));
  db('installed', formatInstalledDb(installed), 0o644);
  db('scripts.tar', scriptsTar(scripts, mtime), 0o644);
  db('triggers', triggerLines(pkgs), 0o644);
  const locked =
    options.lockedPackages ??
    lockedPackageList(
      installed.map((p) => p.record),
      options.config.contents.packages,
    );
  // apko installs from the locked list (`unify`), so that is the world it leaves.
  const pins = (options.baseInstalled ?? []).map((p) => `${p.record.name}=${p.record.version}`);
  const world = options.apkWorld ?? [...locked, ...(isServiceBundle(options.config) ? ['s6'] : []), ...pins];
  tree.set('etc/apk/world', synthFile(lines(world), 0o644, mtime));
  tree.set('etc/apk/repositories', synthFile(lines(options.runtimeRepositories), 0o644, mtime));
  writeKeys(tree, options.keys, mtime);
  linkApkDb(tree, installed, mtime);
  if (options.baseInstalled === undefined) applyAccounts(tree, options.config.accounts, mtime);
  if (options.apkWorld === undefined)
    writeApkoJson(tree, apkoJson(options.config, options.arch, locked), mtime);
  applyPaths(tree, options.config.paths, mtime);
  writeConfiguredOsRelease(tree, options.config.osRelease, mtime);
  // apko dates the certificate files and stores by the image's build time, not by mtime.
  const created = options.sourceDateEpoch ?? newest;
  installCertificates(tree, options.config.certificates, installed, { time: created, mtime });
  writeCaBundleChecksums(tree, created);
  writeSupervisionTree(tree, options.config.entrypoint?.services, mtime);
  installBusyboxLinks(tree, installed, mtime);
  addCharDevices(tree, mtime);
  updateLdSoCache(tree, mtime);
  const osRelease = parseOsRelease(textOf(tree, 'etc/os-release') || textOf(tree, 'usr/lib/os-release'));
  return {
    tar: layerTar(tree),
    tree,
    installed,
    ...(osRelease !== undefined ? { osRelease } : {}),
    created,
  };
}

/** Sorted (byte order), deduplicated, one per line with a final newline (apko; `"\n"` when empty). */
function lines(values: readonly string[]): string {
  return `${[...new Set(values)].sort(compareBytes).join('\n')}\n`;
}

function writeKeys(tree: RootTree, keys: AssembleOptions['keys'], mtime: number): void {
  tree.mkdirAll('etc/apk/keys', () => synthDir(0o755, mtime));
  for (const key of keys) {
    if (key.name === '' || key.name.includes('/') || key.name === '.' || key.name === '..')
      throw new LarderError('CONFIG_INVALID', `keyring: ${JSON.stringify(key.name)} is not a key file name`);
    const path = `etc/apk/keys/${key.name}`;
    // apko: a later key never overwrites one already installed.
    if (tree.get(path) !== undefined) continue;
    const data = typeof key.pem === 'string' ? Buffer.from(key.pem) : Buffer.from(key.pem);
    tree.set(path, synthFile(data, 0o644, mtime));
  }
}
