// The seam every ecosystem's version ordering implements: parse once into a key, compare keys.
// Range evaluation parses the installed version once and each range event once, so parsing is
// kept apart from comparing.
import { LarderError } from '../../core/index.js';

/** Names of the orders larder knows; also the label shown in constraints (`< 1.2.5 (semver)`). */
export type VersionOrderName = 'apk' | 'semver' | 'go' | 'pep440' | 'maven' | 'fuzzy';

/** One total order over an ecosystem's version strings. */
export interface VersionOrder<K> {
  readonly name: VersionOrderName;
  /** Parses `version`; throws LarderError('VERSION_INVALID') naming the value and the reason. */
  parse(version: string): K;
  /** Negative when a < b, 0 when equal, positive when a > b. */
  compare(a: K, b: K): number;
  /**
   * Adjusts the installed version before it is compared with a range bound. PEP 440 uses it to
   * ignore a local label (`+ubuntu1`) when the bound has none.
   */
  againstBound?(installed: K, bound: K): K;
}

/** Any order, whatever its key type (methods are bivariant, so every order fits). */
export type AnyVersionOrder = VersionOrder<unknown>;

/** Orders two version strings in `order`: -1, 0 or 1. Throws VERSION_INVALID when either is invalid. */
export function compareIn(order: AnyVersionOrder, a: string, b: string): -1 | 0 | 1 {
  const c = order.compare(order.parse(a), order.parse(b));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Parses `version` in `order`, or returns undefined when it is not valid there. */
export function tryParse<K>(order: VersionOrder<K>, version: string): K | undefined {
  try {
    return order.parse(version);
  } catch (err) {
    if (err instanceof LarderError) return undefined;
    throw err;
  }
}

/** Why `version` is invalid in `order`, or undefined when it parses. */
export function versionProblemIn(order: AnyVersionOrder, version: string): string | undefined {
  try {
    order.parse(version);
    return undefined;
  } catch (err) {
    if (err instanceof LarderError) return err.message;
    throw err;
  }
}

/** The error every order throws for a version it cannot read. */
export function invalidVersion(order: VersionOrderName, version: string, why: string): LarderError {
  return new LarderError('VERSION_INVALID', `invalid ${order} version '${version}': ${why}`);
}

/** Compares two strings of decimal digits without leading zeros (any length) by value. */
export function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Drops leading zeros from a string of digits, keeping one digit (`007` → `7`, `000` → `0`). */
export function stripZeros(digits: string): string {
  const trimmed = digits.replace(/^0+/, '');
  return trimmed === '' ? '0' : trimmed;
}

/** Plain code-unit comparison of two strings, as Go's strings.Compare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
