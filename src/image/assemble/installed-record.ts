import { type ApkPackage, type PackageRecord, recordFromPackage } from '../../apk/index.js';
import { type TarWriteEntry, tarEntry } from '../../archive/index.js';

/** The control entries apk-tools keeps as scripts; anything else (`.melange.yaml`) is dropped. */
const SCRIPT_NAMES = new Set([
  '.pre-install',
  '.post-install',
  '.pre-deinstall',
  '.post-deinstall',
  '.pre-upgrade',
  '.post-upgrade',
  '.trigger',
]);

/**
 * The installed-database record of a package, fields in apko's order
 * (`P V A L T o m U D p [r] c i t S I k [C]`, formats.md §4.6) with `t:` and `k:` always
 * written and empty `U:`, `D:`, `p:` kept. Differences from apko: an empty install_if is left out
 * (apko writes `i:[]`), and `q:` (replaces priority, when set) and `s:` (repository tag) are
 * added as apk-tools writes them.
 */
export function installedRecord(pkg: ApkPackage, repositoryTag: string | undefined): PackageRecord {
  const p = pkg.pkginfo;
  const record: PackageRecord = {
    ...recordFromPackage(pkg),
    buildTime: p.builddate ?? 0,
    providerPriority: p.provider_priority ?? 0,
    replaces: [...p.replaces],
  };
  let order = 'PVALTomUDp';
  if (record.replaces.length > 0) order += 'r';
  order += 'c';
  if (record.installIf.length > 0) order += 'i';
  order += 'tSIkC';
  if (p.replaces_priority !== undefined && p.replaces_priority !== 0) {
    record.replacesPriority = p.replaces_priority;
    order += 'q';
  }
  if (repositoryTag !== undefined && repositoryTag !== '') {
    record.repoTag = repositoryTag;
    order += 's';
  }
  record.fieldOrder = order;
  return record;
}

/** A package's scripts as they go into `scripts.tar`. */
export interface ScriptEntry {
  readonly name: string;
  readonly mode: number;
  readonly content: Buffer;
}

/** `scripts.tar` entries for one package: `<name>-<version>.<C:>.<action>`, e.g. `….Q1…=.post-install`. */
export function scriptEntries(pkg: ApkPackage): ScriptEntry[] {
  const prefix = `${pkg.pkginfo.pkgname}-${pkg.pkginfo.pkgver}.${pkg.checksum}`;
  return pkg.scripts
    .filter((s) => SCRIPT_NAMES.has(s.name))
    .map((s) => ({ name: `${prefix}.${s.name.slice(1)}`, mode: s.mode, content: s.content }));
}

/**
 * The bytes of `scripts.tar`: every script in install order, owned by root, mtime
 * SOURCE_DATE_EPOCH as apko writes them, then the end-of-archive blocks.
 */
export function scriptsTar(scripts: readonly ScriptEntry[], mtime: number): Buffer {
  const parts = scripts.map((s) => {
    const entry: TarWriteEntry = { name: s.name, type: 'file', mode: s.mode, mtime, uid: 0, gid: 0 };
    return tarEntry(entry, s.content);
  });
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/**
 * `triggers` lines: `<C:> <glob> <glob>…` for each package with triggers, one line per package as
 * apk-tools writes it (apko writes one line per glob; apk reads both the same way).
 */
export function triggerLines(pkgs: readonly ApkPackage[]): string {
  return pkgs
    .filter((p) => p.pkginfo.triggers.length > 0)
    .map((p) => `${p.checksum} ${p.pkginfo.triggers.join(' ')}\n`)
    .join('');
}
