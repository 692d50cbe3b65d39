// The order for ecosystems without a strict grammar in practice (crates.io, and anything that
// fails to parse elsewhere), as grype's fuzzy comparator: semver precedence when both sides look
// like semver (partial `2.0` and a `v` allowed), else a part-by-part comparison where parts end
// at punctuation, leading digit runs compare by value and the rest lexically
// (`1.0.2k < 1.0.2l < 1.0.10`); when all compared parts are equal the longer string wins.
import { compareSemver, parseSemver, type SemVer } from './semver.js';
import { compareText, invalidVersion, type VersionOrder } from './version-order.js';

/** A version for the fuzzy order: its text and, when it looks like semver, the semver reading. */
export interface FuzzyVersion {
  readonly raw: string;
  readonly semver?: SemVer;
}

const LOOSE_SEMVER = /^v?(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(0|[1-9][0-9]*))?([-+].*)?$/;

/** Semver when `version` is semver or a partial one (`2`, `2.0`, `v2.0.1-rc.1`). */
function looseSemver(version: string): SemVer | undefined {
  const m = LOOSE_SEMVER.exec(version);
  if (m === null) return undefined;
  return parseSemver(`${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ?? ''}`);
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** One part: its leading digit run and the text up to the next punctuation; `rest` follows it. */
function splitPart(text: string): { digits: string; tail: string; rest: string } {
  let d = 0;
  while (d < text.length && text.charCodeAt(d) >= 48 && text.charCodeAt(d) <= 57) d++;
  let end = d;
  while (end < text.length && !PUNCTUATION.test(text[end] as string)) end++;
  return { digits: text.slice(0, d), tail: text.slice(d, end), rest: text.slice(end + 1) };
}

/** grype's (nvdtools') part-by-part comparison of two version strings. */
export function fuzzyCompare(a: string, b: string): number {
  const va = a.replace(/^v/, '');
  const vb = b.replace(/^v/, '');
  let sa = va;
  let sb = vb;
  while (sa.length > 0 && sb.length > 0) {
    const pa = splitPart(sa);
    const pb = splitPart(sb);
    // Digit runs are left-padded with zeros to one width, so they compare by value (an empty run
    // counts as zero).
    const width = Math.max(pa.digits.length, pb.digits.length);
    const digits = compareText(pa.digits.padStart(width, '0'), pb.digits.padStart(width, '0'));
    if (digits !== 0) return digits;
    const tail = compareText(pa.tail, pb.tail);
    if (tail !== 0) return tail;
    sa = pa.rest;
    sb = pb.rest;
  }
  return va.length - vb.length;
}

/** The fuzzy order: semver when both sides read as semver, else `fuzzyCompare`. */
export const fuzzyOrder: VersionOrder<FuzzyVersion> = {
  name: 'fuzzy',
  parse(version) {
    const raw = version.trim();
    if (raw === '') throw invalidVersion('fuzzy', version, 'empty');
    const semver = looseSemver(raw);
    return semver === undefined ? { raw } : { raw, semver };
  },
  compare(a, b) {
    if (a.semver !== undefined && b.semver !== undefined) return compareSemver(a.semver, b.semver);
    return fuzzyCompare(a.raw, b.raw);
  },
};
