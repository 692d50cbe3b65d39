/**
 * `/etc/os-release` from the config's `os-release` block, as apko wrote it before July 2024
 * (`generateOSRelease`, removed in 8bcc559b) — but only when no package (or `paths` entry)
 * put a file there: a package's os-release always wins.
 */
import type { ImageOsRelease } from '../config/model.js';
import type { RootTree } from './tree.js';
import { writeFile } from './tree-files.js';

/** The block with apko's old defaults filled in (its `Validate`). */
export type OsReleaseFields = { readonly [K in keyof ImageOsRelease]-?: string };

const DEFAULT_NAME = 'apko-generated image';

/**
 * apko's defaults: ID and VERSION_ID `unknown`, NAME `apko-generated image`, HOME_URL
 * `https://chainguard.dev/apko`. apko also overwrote PRETTY_NAME whenever NAME was unset;
 * larder keeps a PRETTY_NAME that was given and only defaults it.
 */
export function osReleaseFields(release: ImageOsRelease): OsReleaseFields {
  const name = release.name || DEFAULT_NAME;
  return {
    id: release.id || 'unknown',
    name,
    versionId: release.versionId || 'unknown',
    prettyName: release.prettyName || (release.name ? '' : DEFAULT_NAME),
    homeUrl: release.homeUrl || 'https://chainguard.dev/apko',
    bugReportUrl: release.bugReportUrl ?? '',
  };
}

/** The file apko wrote: ID, NAME, PRETTY_NAME, VERSION_ID, HOME_URL, BUG_REPORT_URL, each when set. */
export function osReleaseText(fields: OsReleaseFields): string {
  const lines: Array<[string, string, boolean]> = [
    ['ID', fields.id, false],
    ['NAME', fields.name, true],
    ['PRETTY_NAME', fields.prettyName, true],
    ['VERSION_ID', fields.versionId, false],
    ['HOME_URL', fields.homeUrl, true],
    ['BUG_REPORT_URL', fields.bugReportUrl, true],
  ];
  return lines
    .filter(([, value]) => value !== '')
    .map(([key, value, quoted]) => (quoted ? `${key}="${value}"\n` : `${key}=${value}\n`))
    .join('');
}

/**
 * Writes `etc/os-release` (0644) from the config when it is configured and nothing is at that
 * path yet, and, as apko did, `etc/<ID>-release` holding `VERSION_ID` unless that exists too.
 */
export function writeConfiguredOsRelease(
  tree: RootTree,
  release: ImageOsRelease | undefined,
  mtime: number,
): void {
  if (release === undefined) return;
  const path = tree.resolveParent('etc/os-release', 'os-release');
  if (tree.get(path) !== undefined) return;
  const fields = osReleaseFields(release);
  writeFile(tree, path, osReleaseText(fields), { mode: 0o644 }, mtime);
  // The config schema keeps ID to a file-name-safe token; a model built in code may not.
  if (!/^[A-Za-z0-9._-]+$/.test(fields.id)) return;
  const vendor = tree.resolveParent(`etc/${fields.id}-release`, 'os-release');
  if (tree.get(vendor) === undefined)
    writeFile(tree, vendor, `${fields.versionId}\n`, { mode: 0o644 }, mtime);
}
