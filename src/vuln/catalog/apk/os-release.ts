// Which distribution a root filesystem is (catalog.md §2.2): `/etc/os-release`, then
// `/usr/lib/os-release`; with neither, Alpine's repository URLs in `/etc/apk/repositories`.
import type { Distro } from '../../model.js';

/** The os-release fields cataloguing uses. */
export interface OsRelease {
  /** `ID`, lower case. */
  readonly id: string;
  readonly versionId?: string;
  /** `BUILD_ID`: stands in for VERSION_ID in apk purls when that is empty. */
  readonly buildId?: string;
  readonly prettyName?: string;
}

/**
 * Parses os-release text: `KEY=value` lines, values unquoted with shell rules for `"…"` and
 * `'…'`; comments and malformed lines are skipped. Undefined without an `ID`.
 */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m === null) continue;
    fields.set(m[1]!, unquote(m[2]!));
  }
  const id = fields.get('ID')?.toLowerCase();
  if (id === undefined || id === '') return undefined;
  const pick = (key: string): string | undefined => {
    const v = fields.get(key);
    return v === undefined || v === '' ? undefined : v;
  };
  const versionId = pick('VERSION_ID');
  const buildId = pick('BUILD_ID');
  const prettyName = pick('PRETTY_NAME');
  return {
    id,
    ...(versionId === undefined ? {} : { versionId }),
    ...(buildId === undefined ? {} : { buildId }),
    ...(prettyName === undefined ? {} : { prettyName }),
  };
}

/** syft's fallback: `https://…alpinelinux.org/alpine/v3.20/main` → alpine 3.20. */
export function osReleaseFromApkRepositories(text: string): OsRelease | undefined {
  for (const line of text.split('\n')) {
    const m = /^\s*(?:@\S+\s+)?https?:\/\/[^\s]*alpinelinux\.org\/alpine\/v(\d+\.\d+)\//.exec(line);
    if (m !== null) return { id: 'alpine', versionId: m[1]! };
  }
  return undefined;
}

/** The model's distro for an os-release. */
export function distroOf(release: OsRelease): Distro {
  return release.versionId === undefined
    ? { id: release.id }
    : { id: release.id, versionId: release.versionId };
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"'))
    return v.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
  return v;
}
