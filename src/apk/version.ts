/**
 * apk-tools 2.14 version ordering and validation (formats.md §3), reimplemented from the
 * algorithm in apk-tools `src/version.c`. It agrees with all 733 vectors of apk's
 * `test/version.data`.
 */
import { LarderError } from '../core/index.js';
import { TokenKind, type TokenValue, VersionCursor } from './version-token.js';

/** apk result bits (`apk_version.h`). A comparison returns one of LESS, EQUAL, GREATER. */
export const VERSION_EQUAL = 1;
export const VERSION_LESS = 2;
export const VERSION_GREATER = 4;
/** Set in a dependency mask by `~`; never returned by a comparison. */
export const VERSION_FUZZY = 8;
/** Dependency mask meaning "any version". */
export const DEPMASK_ANY = VERSION_EQUAL | VERSION_LESS | VERSION_GREATER | VERSION_FUZZY;
/** Dependency mask of `><`: match by package checksum, not by version. */
export const DEPMASK_CHECKSUM = VERSION_LESS | VERSION_GREATER;
/** Returned when exactly one side of a comparison is a null version (apk prints `?`). */
export const VERSION_UNORDERED = 7; // EQUAL | LESS | GREATER, spelled out to keep the literal type

/** What `apkVersionCompare` returns; VERSION_UNORDERED only when one side is `undefined`. */
export type VersionResult =
  | typeof VERSION_EQUAL
  | typeof VERSION_LESS
  | typeof VERSION_GREATER
  | typeof VERSION_UNORDERED;

const sameValue = (a: TokenValue, b: TokenValue): boolean => !(a < b) && !(a > b);

/**
 * apk's `apk_version_compare_blob_fuzzy`: compares `a` with `b` and returns VERSION_LESS,
 * VERSION_EQUAL or VERSION_GREATER (a mask, so callers can `& depMask`). Invalid versions are
 * compared too, exactly as apk does. With `fuzzy`, versions are EQUAL as soon as either runs
 * out of tokens while all compared tokens were equal (the `~` operator, formats.md §3.5).
 * `undefined` stands for apk's null version: two nulls are EQUAL, one null gives 7.
 */
export function apkVersionCompare(
  a: string | undefined,
  b: string | undefined,
  fuzzy = false,
): VersionResult {
  if (a === undefined || b === undefined) return a === b ? VERSION_EQUAL : VERSION_UNORDERED;
  const ca = new VersionCursor(a);
  const cb = new VersionCursor(b);
  let av: TokenValue = 0;
  let bv: TokenValue = 0;
  while (
    ca.kind === cb.kind &&
    ca.kind !== TokenKind.End &&
    ca.kind !== TokenKind.Invalid &&
    sameValue(av, bv)
  ) {
    av = ca.read();
    bv = cb.read();
  }
  if (av < bv) return VERSION_LESS;
  if (av > bv) return VERSION_GREATER;
  const at = ca.kind;
  const bt = cb.kind;
  // Both sides ended together (or broke at the same kind of invalid token).
  if (at === bt || fuzzy) return VERSION_EQUAL;
  // One side has more. A pre-release (or unknown) suffix makes it older, not newer.
  if (at === TokenKind.Suffix && ca.read() < 0) return VERSION_LESS;
  if (bt === TokenKind.Suffix && cb.read() < 0) return VERSION_GREATER;
  // Otherwise the side whose next token kind ranks lower has "more version left".
  if (at > bt) return VERSION_LESS;
  if (bt > at) return VERSION_GREATER;
  return VERSION_EQUAL;
}

/** Orders two versions the apk way: -1 when a < b, 0 when equal, 1 when a > b. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  const result = apkVersionCompare(a, b);
  switch (result) {
    case VERSION_LESS:
      return -1;
    case VERSION_GREATER:
      return 1;
    case VERSION_EQUAL:
    case VERSION_UNORDERED:
      return 0;
  }
}

/**
 * Versions of the usual shape (`1.2.3a_rc1_p2-r0`), every one valid for the token walk below:
 * each number has at most 17 digits, and the components come in the order the walk allows.
 * One native test instead of an interpreted token walk for the 10,000 versions of an index.
 */
const COMMON_VERSION =
  /^[0-9]{1,17}(?:\.[0-9]{1,17})*[a-z]?(?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]{0,17})*(?:-r[0-9]{1,17})?$/;

/**
 * Why `version` fails apk's `apk_version_validate`, or undefined when it is valid.
 * Exactly apk's rule: the token walk must reach the end without an invalid token. Note that
 * apk therefore accepts some odd strings, e.g. `` (empty), `a`, `.1` and `1.0-r`; callers
 * that need a full package version (`1.2-r0`) check that separately.
 */
export function versionProblem(version: string): string | undefined {
  if (COMMON_VERSION.test(version)) return undefined;
  const cursor = new VersionCursor(version);
  while (cursor.kind !== TokenKind.End && cursor.kind !== TokenKind.Invalid) cursor.read();
  return cursor.kind === TokenKind.End ? undefined : (cursor.problem ?? 'not a version');
}

/** True when apk-tools 2.14 accepts `version` (`apk_version_validate`). */
export function isValidVersion(version: string): boolean {
  return versionProblem(version) === undefined;
}

/**
 * Throws LarderError('VERSION_INVALID') naming the value and the reason when `version` is not a
 * valid apk version. `context` (e.g. `dependency 'foo=1.0A'`) prefixes the message.
 */
export function assertValidVersion(version: string, context?: string): void {
  const problem = versionProblem(version);
  if (problem === undefined) return;
  const prefix = context === undefined ? '' : `${context}: `;
  throw new LarderError('VERSION_INVALID', `${prefix}invalid version '${version}': ${problem}`);
}
