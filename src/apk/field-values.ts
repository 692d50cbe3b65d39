import { parseQ1Checksum } from '../core/index.js';

/** Reports a field error; the caller adds file, record and line. Never returns. */
export type FieldFailure = (message: string) => never;

/** Shortens and quotes a value for an error message: values can be 70 KB long. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/**
 * A canonical `Q1<base64 sha1>`: 27 sextets carry 162 bits for 160, so the last one's two low
 * bits must be zero (`AEIMQUYcgkosw048`). One native regex test per record: a character loop
 * ran in the interpreter for most of an index parse, and Buffer decoding is slower still.
 */
const CANONICAL_Q1 = /^Q1[A-Za-z0-9+/]{26}[AEIMQUYcgkosw048]=$/;

/** True for a canonical `Q1<base64 sha1>` or an `X1<hex sha1>` (what parseQ1Checksum accepts). */
export function isChecksum(value: string): boolean {
  // The X1 form and anything unusual go the slow way.
  return CANONICAL_Q1.test(value) || parseQ1Checksum(value) !== undefined;
}

const DECIMAL = /^[0-9]+$/;

/** Parses an unsigned decimal field value; `what` names it in the failure message. */
export function parseDecimalField(what: string, value: string, fail: FieldFailure): number {
  // A regex and Number() rather than a digit loop: this runs for four fields of every record of
  // a 5,000-entry index, mostly before the JIT has compiled anything.
  if (!DECIMAL.test(value)) {
    if (value.length === 0) fail(`${what}: empty value, expected a decimal number`);
    fail(`${what}: ${quote(value)} is not a decimal number`);
  }
  const n = Number(value);
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
