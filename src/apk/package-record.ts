import type { PackageRecord } from './index-record.js';
import type { ApkPackage } from './package-read.js';
import { compareVersions } from './version.js';

/** The APKINDEX record of a package file (formats.md §2.2); `replaces` is not indexed. */
export function recordFromPackage(pkg: ApkPackage): PackageRecord {
  const p = pkg.pkginfo;
  return {
    checksum: pkg.checksum,
    name: p.pkgname,
    version: p.pkgver,
    arch: p.arch,
    size: pkg.fileSize,
    installedSize: p.size,
    description: p.pkgdesc,
    url: p.url,
    ...(p.license !== undefined ? { license: p.license } : {}),
    ...(p.origin !== undefined ? { origin: p.origin } : {}),
    ...(p.maintainer !== undefined ? { maintainer: p.maintainer } : {}),
    ...(p.builddate !== undefined ? { buildTime: p.builddate } : {}),
    ...(p.commit !== undefined ? { commit: p.commit } : {}),
    ...(p.provider_priority !== undefined ? { providerPriority: p.provider_priority } : {}),
    depends: [...p.depend],
    provides: [...p.provides],
    installIf: [...p.install_if],
    replaces: [],
    extra: [],
  };
}

/** Index order: by name (byte order), then by apk version, then by arch. */
export function compareIndexRecords(a: PackageRecord, b: PackageRecord): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const v = compareVersions(a.version, b.version);
  if (v !== 0) return v;
  const aa = a.arch ?? '';
  const ba = b.arch ?? '';
  return aa < ba ? -1 : aa > ba ? 1 : 0;
}

/**
 * Merges new records into an index: a new record replaces an existing one with the same
 * name, version and arch (a rebuilt package); everything else is kept. The result is sorted.
 */
export function mergeIndexRecords(
  existing: readonly PackageRecord[],
  added: readonly PackageRecord[],
): PackageRecord[] {
  const key = (r: PackageRecord) => `${r.name}\0${r.version}\0${r.arch ?? ''}`;
  const byKey = new Map<string, PackageRecord>();
  for (const r of existing) byKey.set(key(r), r);
  for (const r of added) byKey.set(key(r), r);
  return [...byKey.values()].sort(compareIndexRecords);
}
