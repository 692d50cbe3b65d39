// Semantic Versioning 2.0.0 precedence (https://semver.org/#spec-item-11), used for OSV SEMVER
// ranges, npm and crates.io. A leading `v` is accepted; build metadata never counts.
import { compareDigits, compareText, invalidVersion, type VersionOrder } from './version-order.js';

/** A parsed semantic version. Numbers stay digit strings, so no size limit applies. */
export interface SemVer {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Pre-release identifiers; numeric ones are digit strings flagged `numeric`. */
  readonly pre: readonly { readonly text: string; readonly numeric: boolean }[];
  readonly build: string;
}

const NUMBER = '(0|[1-9][0-9]*)';
const PRE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER = new RegExp(
  `^v?${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);

/** Parses a semver 2.0 version (optional leading `v`), or returns undefined. */
export function parseSemver(version: string): SemVer | undefined {
  const m = SEMVER.exec(version);
  if (m === null) return undefined;
  const pre =
    m[4] === undefined ? [] : m[4].split('.').map((text) => ({ text, numeric: /^[0-9]+$/.test(text) }));
  return { major: m[1] as string, minor: m[2] as string, patch: m[3] as string, pre, build: m[5] ?? '' };
}

/** Semver precedence: numbers by value, then pre-release (a version without one ranks higher). */
export function compareSemver(a: SemVer, b: SemVer): number {
  const core =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (core !== 0) return core;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  const n = Math.min(a.pre.length, b.pre.length);
  for (let i = 0; i < n; i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x.numeric !== y.numeric) return x.numeric ? -1 : 1;
    const c = x.numeric ? compareDigits(x.text, y.text) : compareText(x.text, y.text);
    if (c !== 0) return c;
  }
  return a.pre.length - b.pre.length;
}

/** Why `version` is not semver 2.0, for error messages. */
export function semverProblem(version: string): string {
  if (version === '') return 'empty';
  const core = version.replace(/^v/, '').split(/[-+]/, 1)[0] ?? '';
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(core)) return 'expected MAJOR.MINOR.PATCH';
  if (/(^|\.)0[0-9]/.test(core)) return 'a number has a leading zero';
  return 'bad pre-release or build metadata';
}

/** The semver 2.0 order. */
export const semverOrder: VersionOrder<SemVer> = {
  name: 'semver',
  parse(version) {
    const parsed = parseSemver(version.trim());
    if (parsed === undefined) throw invalidVersion('semver', version, semverProblem(version.trim()));
    return parsed;
  },
  compare: compareSemver,
};
