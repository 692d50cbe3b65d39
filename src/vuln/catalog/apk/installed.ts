// APK packages from an installed database (catalog.md §2): name, version, arch, origin and
// licence of each record, and its file list, which makes it the owner of those files.
import { type InstalledPackage, parseInstalledDb } from '../../../apk/index.js';
import { formatPurl } from '../../../sbom/index.js';
import type { PackageDraft } from '../package-draft.js';
import type { OsRelease } from './os-release.js';

/** The packages of one installed database and the files each owns. */
export interface InstalledApks {
  readonly packages: readonly PackageDraft[];
  /** For each package (same order), the paths (no leading slash) its file list names. */
  readonly files: readonly (readonly string[])[];
}

/**
 * Reads `lib/apk/db/installed` text found at `location`.
 * @throws LarderError INSTALLED_DB_INVALID naming `location`, record and line.
 */
export function readInstalledApks(
  text: string,
  location: string,
  release: OsRelease | undefined,
): InstalledApks {
  const records = parseInstalledDb(text, location);
  return {
    packages: records.map((r) => apkDraft(r, location, release)),
    files: records.map((r) =>
      r.files.flatMap((dir) => dir.files.map((f) => (dir.path === '' ? f.name : `${dir.path}/${f.name}`))),
    ),
  };
}

function apkDraft(pkg: InstalledPackage, location: string, release: OsRelease | undefined): PackageDraft {
  const r = pkg.record;
  const origin = r.origin === undefined || r.origin === '' ? r.name : r.origin;
  const license = r.license?.trim();
  return {
    ecosystem: 'apk',
    name: r.name,
    version: r.version,
    purl: apkPackagePurl({ name: r.name, version: r.version, arch: r.arch, origin }, release),
    origin,
    ...(r.arch === undefined || r.arch === '' ? {} : { arch: r.arch }),
    locations: [location],
    evidence: 'apk-installed-db',
    ...(license === undefined || license === '' ? {} : { licenses: [license] }),
  };
}

/**
 * syft's apk purl (catalog.md §2.3): `pkg:apk/<ID>/<name>@<version>?arch=…&distro=<ID>-<VERSION_ID
 * or BUILD_ID>&upstream=<origin>`, `upstream` only when the origin differs from the name. syft
 * writes no purl without a release; ours then has no namespace and no `distro`.
 */
export function apkPackagePurl(
  pkg: { name: string; version: string; arch?: string | undefined; origin?: string | undefined },
  release: OsRelease | undefined,
): string {
  const distroVersion = release?.versionId ?? release?.buildId;
  return formatPurl({
    type: 'apk',
    ...(release === undefined ? {} : { namespace: release.id }),
    name: pkg.name.toLowerCase(),
    version: pkg.version,
    qualifiers: {
      arch: pkg.arch,
      distro:
        release === undefined || distroVersion === undefined ? undefined : `${release.id}-${distroVersion}`,
      upstream: pkg.origin === undefined || pkg.origin === pkg.name ? undefined : pkg.origin,
    },
  });
}
