import { parseQ1Checksum } from '../core/index.js';

/** Reports a field error; the caller adds file, record and line. Never returns. */
export type FieldFailure = (message: string) => never;

/** Shortens and quotes a value for an error message: values can be 70 KB long. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** Sextet value of each base64 character code, or -1. */
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) {
  BASE64_VALUE[ch.charCodeAt(0)] = i;
}

/** True for a canonical `Q1<base64 sha1>` or an `X1<hex sha1>` (what parseQ1Checksum accepts). */
export function isChecksum(value: string): boolean {
  // A table walk for the common Q1 form: decoding the 5,000 checksums of an index through
  // Buffer (parseQ1Checksum) costs several milliseconds. The X1 form goes the slow way.
  if (value.length !== 30 || value.charCodeAt(0) !== 81 /* Q */ || value.charCodeAt(1) !== 49 /* 1 */) {
    return parseQ1Checksum(value) !== undefined;
  }
  let last = 0;
  for (let i = 2; i < 29; i++) {
    last = BASE64_VALUE[value.charCodeAt(i)] ?? -1;
    if (last < 0) return false;
  }
  // 27 sextets carry 162 bits for 160: the last one's two low bits must be zero to be canonical.
  return (last & 3) === 0 && value.charCodeAt(29) === 61 /* = */;
}

/** Parses an unsigned decimal field value; `what` names it in the failure message. */
export function parseDecimalField(what: string, value: string, fail: FieldFailure): number {
  // A loop rather than a regex: this runs for four fields of every record of a 5,000-entry index.
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) fail(`${what}: ${quote(value)} is not a decimal number`);
    n = n * 10 + d;
  }
  if (value.length === 0) fail(`${what}: empty value, expected a decimal number`);
  if (!Number.isSafeInteger(n)) fail(`${what}: ${quote(value)} is too large`);
  return n;
}

/**
 * The space-separated words of `value` appended to `list`. apk-tools separates dependencies by
 * single spaces; runs of spaces are tolerated. Reuses the split array in the common case of a
 * first, well-formed line, to spare an allocation per list.
 */
export function appendWords(list: string[], value: string): string[] {
  if (value === '') return list;
  const words = value.split(' ');
  if (list.length === 0 && !words.includes('')) return words;
  for (const word of words) if (word !== '') list.push(word);
  return list;
}
