// PEP 440 versions (https://peps.python.org/pep-0440/) with the normalization `packaging`
// applies: case-insensitive, optional `v`, `-`/`_`/`.` separators, `alpha`→a, `beta`→b,
// `c`/`pre`/`preview`→rc, `rev`/`r`→post, implicit numbers (`1.0a` = `1.0a0`), trailing zeros of
// the release ignored (`1.0` = `1.0.0`). Order: epoch, release, then
// `.devN < aN < bN < rcN < final < .postN`, then the local label.
import {
  compareDigits,
  compareText,
  invalidVersion,
  stripZeros,
  type VersionOrder,
} from './version-order.js';

/** A parsed PEP 440 version; numbers are digit strings without leading zeros. */
export interface Pep440Version {
  readonly epoch: string;
  /** Release numbers with trailing zeros removed. */
  readonly release: readonly string[];
  /** Pre-release: rank 0 = a, 1 = b, 2 = rc. */
  readonly pre?: { readonly rank: number; readonly n: string };
  readonly post?: string;
  readonly dev?: string;
  /** Local label parts, lower case: numbers as digit strings flagged numeric. */
  readonly local?: readonly { readonly text: string; readonly numeric: boolean }[];
}

const PEP440 = new RegExp(
  [
    '^v?',
    '(?:([0-9]+)!)?',
    '([0-9]+(?:\\.[0-9]+)*)',
    '(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?',
    '(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?',
    '(?:[-_.]?(dev)[-_.]?([0-9]+)?)?',
    '(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$',
  ].join(''),
);

const PRE_RANK: Readonly<Record<string, number>> = {
  alpha: 0,
  a: 0,
  beta: 1,
  b: 1,
  preview: 2,
  pre: 2,
  c: 2,
  rc: 2,
};

/** Parses a PEP 440 version or throws VERSION_INVALID. */
export function parsePep440(raw: string): Pep440Version {
  const m = PEP440.exec(raw.trim().toLowerCase());
  if (m === null) throw invalidVersion('pep440', raw, 'not a PEP 440 version');
  const release = (m[2] as string).split('.').map(stripZeros);
  while (release.length > 1 && release[release.length - 1] === '0') release.pop();
  const version: {
    epoch: string;
    release: string[];
    pre?: { rank: number; n: string };
    post?: string;
    dev?: string;
    local?: { text: string; numeric: boolean }[];
  } = { epoch: stripZeros(m[1] ?? '0'), release };
  if (m[3] !== undefined) version.pre = { rank: PRE_RANK[m[3]] as number, n: stripZeros(m[4] ?? '0') };
  if (m[5] !== undefined) version.post = stripZeros(m[5]);
  else if (m[6] !== undefined) version.post = stripZeros(m[7] ?? '0');
  if (m[8] !== undefined) version.dev = stripZeros(m[9] ?? '0');
  if (m[10] !== undefined) {
    version.local = m[10].split(/[-_.]/).map((text) => {
      const numeric = /^[0-9]+$/.test(text);
      return { text: numeric ? stripZeros(text) : text, numeric };
    });
  }
  return version;
}

// The sort key of `packaging`: missing parts become -inf or +inf depending on the part.
const NEG = -1;
const POS = 1;

function comparePresence(a: boolean, b: boolean, missing: typeof NEG | typeof POS): number | undefined {
  if (a && b) return undefined;
  if (!a && !b) return 0;
  return a ? -missing : missing;
}

function compareRelease(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  const present = comparePresence(a !== undefined, b !== undefined, NEG);
  if (present !== undefined || a === undefined || b === undefined) return present ?? 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    // A numeric segment ranks above an alphanumeric one.
    if (x.numeric !== y.numeric) return x.numeric ? 1 : -1;
    const c = x.numeric ? compareDigits(x.text, y.text) : compareText(x.text, y.text);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** PEP 440 ordering (the `packaging` library's). */
export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  const epoch = compareDigits(a.epoch, b.epoch);
  if (epoch !== 0) return epoch;
  const release = compareRelease(a.release, b.release);
  if (release !== 0) return release;
  // `1.0.dev0` (dev only) sorts before every pre-release of 1.0; no pre-release is +inf.
  const devOnlyA = a.pre === undefined && a.post === undefined && a.dev !== undefined;
  const devOnlyB = b.pre === undefined && b.post === undefined && b.dev !== undefined;
  if (devOnlyA !== devOnlyB) return devOnlyA ? -1 : 1;
  if (!devOnlyA) {
    const pre = comparePresence(a.pre !== undefined, b.pre !== undefined, POS);
    if (pre !== undefined && pre !== 0) return pre;
    if (a.pre !== undefined && b.pre !== undefined) {
      const c = a.pre.rank - b.pre.rank || compareDigits(a.pre.n, b.pre.n);
      if (c !== 0) return c;
    }
  }
  const post = comparePresence(a.post !== undefined, b.post !== undefined, NEG);
  if (post !== undefined && post !== 0) return post;
  if (a.post !== undefined && b.post !== undefined) {
    const c = compareDigits(a.post, b.post);
    if (c !== 0) return c;
  }
  const dev = comparePresence(a.dev !== undefined, b.dev !== undefined, POS);
  if (dev !== undefined && dev !== 0) return dev;
  if (a.dev !== undefined && b.dev !== undefined) {
    const c = compareDigits(a.dev, b.dev);
    if (c !== 0) return c;
  }
  return compareLocal(a.local, b.local);
}

/** The PEP 440 order. A local label counts only when the bound it is compared with has one. */
export const pep440Order: VersionOrder<Pep440Version> = {
  name: 'pep440',
  parse: parsePep440,
  compare: comparePep440,
  againstBound(installed, bound) {
    if (bound.local !== undefined || installed.local === undefined) return installed;
    const { local: _local, ...publicPart } = installed;
    return publicPart;
  },
};
