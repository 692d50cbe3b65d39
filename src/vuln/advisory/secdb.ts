/**
 * Advisory documents → an Alpine/Wolfi secdb (`security.json`, vulns.md §2). Per advisory, the
 * latest event decides: `fixed` lists its ids under the fixed version, a false positive under
 * `"0"` (never affected); every other state cannot be said in secdb and is left out.
 */
import { compareVersions } from '../../apk/index.js';
import type { AdvisoryDocument } from './model.js';
import { latestEvent } from './state.js';

/** Wolfi's package URL template. */
export const SECDB_APK_URL = '{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk';

/** A secdb document, fields in the order wolfictl writes them. */
export interface SecdbDocument {
  readonly apkurl: string;
  readonly archs: readonly string[];
  readonly reponame: string;
  readonly urlprefix: string;
  readonly packages: readonly SecdbPackage[];
}

/** One origin package: first fixed version → the ids fixed in it (`"0"`: not affected). */
export interface SecdbPackage {
  readonly pkg: {
    readonly name: string;
    readonly secfixes: Readonly<Record<string, readonly string[]>>;
  };
}

/** Options of `toSecdb`; defaults are Wolfi's feed (`wolfictl advisory secdb` as Wolfi's CI runs it). */
export interface SecdbOptions {
  /** Default x86_64 and aarch64. */
  readonly archs?: readonly string[];
  /** Default `https://packages.wolfi.dev`. */
  readonly urlprefix?: string;
  /** Default `os`. */
  readonly reponame?: string;
}

/** The secdb version key of false positives: every version is ≥ 0. */
export const SECDB_NOT_AFFECTED = '0';

/**
 * The secdb of `docs`: packages sorted by name, each version's list the advisory id and all its
 * aliases (deduplicated, byte order), version keys in apk order with `"0"` first. Documents
 * with nothing fixed and no false positive are left out, as wolfictl leaves them out.
 */
export function toSecdb(docs: readonly AdvisoryDocument[], options: SecdbOptions = {}): SecdbDocument {
  const packages: SecdbPackage[] = [];
  for (const doc of docs) {
    const byVersion = new Map<string, Set<string>>();
    for (const advisory of doc.advisories) {
      const latest = latestEvent(advisory);
      const key =
        latest.type === 'fixed'
          ? latest.data.fixedVersion
          : latest.type === 'false-positive-determination'
            ? SECDB_NOT_AFFECTED
            : undefined;
      if (key === undefined) continue;
      const ids = byVersion.get(key) ?? new Set<string>();
      ids.add(advisory.id);
      for (const alias of advisory.aliases) ids.add(alias);
      byVersion.set(key, ids);
    }
    if (byVersion.size === 0) continue;
    const secfixes: Record<string, string[]> = {};
    for (const key of [...byVersion.keys()].sort(compareSecfixKeys))
      secfixes[key] = [...(byVersion.get(key) as Set<string>)].sort(byteOrder);
    packages.push({ pkg: { name: doc.package.name, secfixes } });
  }
  packages.sort((a, b) => byteOrder(a.pkg.name, b.pkg.name));
  return {
    apkurl: SECDB_APK_URL,
    archs: [...(options.archs ?? ['x86_64', 'aarch64'])],
    reponame: options.reponame ?? 'os',
    urlprefix: options.urlprefix ?? 'https://packages.wolfi.dev',
    packages,
  };
}

/** `"0"` first, then apk version order (byte order between versions apk calls equal). */
function compareSecfixKeys(a: string, b: string): number {
  if (a === SECDB_NOT_AFFECTED || b === SECDB_NOT_AFFECTED)
    return a === b ? 0 : a === SECDB_NOT_AFFECTED ? -1 : 1;
  return compareVersions(a, b) || byteOrder(a, b);
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The document as wolfictl writes it: Go's `json.MarshalIndent(db, "", "  ")` (two-space
 * indent, `<`, `>`, `&`, U+2028 and U+2029 escaped as Go does) and no final newline. Keys keep
 * the document's order; `"0"` is the only integer-like key a secfixes map can hold (fixed
 * versions end in `-rN`), and JavaScript puts it first, where it belongs.
 */
export function formatSecdbJson(doc: SecdbDocument): string {
  const ordered = {
    apkurl: doc.apkurl,
    archs: doc.archs,
    reponame: doc.reponame,
    urlprefix: doc.urlprefix,
    packages: doc.packages.map((p) => ({ pkg: { name: p.pkg.name, secfixes: p.pkg.secfixes } })),
  };
  return JSON.stringify(ordered, null, 2).replace(/[<>&\u2028\u2029]/g, goEscape);
}

function goEscape(char: string): string {
  return `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`;
}
