/**
 * Per-field rules for `.PKGINFO` (formats.md §1.5), shared by the parser and the writer so that
 * larder never writes a file it would refuse to read.
 */
import { isLarderError } from '../core/index.js';
import { parseDependency, parseProvide } from './dependency.js';
import { versionProblem } from './version.js';

/** melange's package-name rule; every one of the 5,004 names in Alpine 3.17 main passes it. */
export const PKGNAME_PATTERN = /^[a-zA-Z\d][a-zA-Z\d+_.-]*$/;

/** Keys whose repeated lines accumulate; each value holds space-separated words. */
export const LIST_KEYS = ['depend', 'provides', 'install_if', 'replaces', 'triggers'] as const;
export type ListKey = (typeof LIST_KEYS)[number];

/** Keys holding one string; a repeated key keeps its last value, as apk does. */
export const TEXT_KEYS = [
  'pkgname',
  'pkgver',
  'pkgdesc',
  'url',
  'arch',
  'origin',
  'maintainer',
  'commit',
  'license',
  'datahash',
] as const;
export type TextKey = (typeof TEXT_KEYS)[number];

/** Keys holding one unsigned decimal integer. */
export const NUMBER_KEYS = ['size', 'builddate', 'provider_priority', 'replaces_priority'] as const;
export type NumberKey = (typeof NUMBER_KEYS)[number];

export type KnownKey = ListKey | TextKey | NumberKey;

/**
 * The order formatPkgInfo writes keys in: melange's `controlTemplate` (formats.md §1.5), with
 * `install_if`, which melange never writes, after `replaces`.
 */
export const PKGINFO_KEY_ORDER: readonly KnownKey[] = [
  'pkgname',
  'pkgver',
  'arch',
  'size',
  'origin',
  'pkgdesc',
  'url',
  'commit',
  'maintainer',
  'builddate',
  'license',
  'depend',
  'provides',
  'replaces',
  'install_if',
  'provider_priority',
  'replaces_priority',
  'triggers',
  'datahash',
];

const KNOWN = new Set<string>([...LIST_KEYS, ...TEXT_KEYS, ...NUMBER_KEYS]);

/** Narrows a `.PKGINFO` key to one larder models (others go to `extra`). */
export function isKnownKey(key: string): key is KnownKey {
  return KNOWN.has(key);
}

export function isListKey(key: KnownKey): key is ListKey {
  return (LIST_KEYS as readonly string[]).includes(key);
}

export function isNumberKey(key: KnownKey): key is NumberKey {
  return (NUMBER_KEYS as readonly string[]).includes(key);
}

/** Why a key cannot appear in `.PKGINFO` (parsed or written), or undefined. */
export function keyProblem(key: string): string | undefined {
  if (key.startsWith('#')) return "starts with '#'";
  return /\s/.test(key) ? 'contains whitespace' : undefined;
}

/** Why a full package version (`<apk version>-r<N>`) is unacceptable, or undefined. */
export function pkgverProblem(value: string): string | undefined {
  const problem = versionProblem(value);
  if (problem !== undefined) return `is not a valid apk version: ${problem}`;
  // apk's validator accepts '', 'a' and '1.0-r'; a package version needs more.
  if (!/^\d/.test(value)) return 'must start with a digit';
  if (!/-r\d+$/.test(value)) return "must end in a revision '-rN'";
  return undefined;
}

/** Why `value` is unacceptable for the scalar key, or undefined. */
export function scalarProblem(key: TextKey | NumberKey, value: string): string | undefined {
  if (/[\r\n]/.test(value)) return 'contains a line break';
  switch (key) {
    case 'pkgname':
      if (value === '') return 'is empty';
      return PKGNAME_PATTERN.test(value)
        ? undefined
        : 'is not a valid package name (must start with a letter or digit and contain only letters, digits, +, _, . and -)';
    case 'pkgver':
      return pkgverProblem(value);
    case 'datahash':
      return /^[0-9a-f]{64}$/.test(value) ? undefined : 'is not 64 lowercase hex digits (a SHA-256)';
    case 'arch':
      return /\s/.test(value) ? 'contains whitespace' : undefined;
    case 'pkgdesc':
    case 'url':
    case 'origin':
    case 'maintainer':
    case 'commit':
    case 'license':
      return undefined;
    case 'size':
    case 'builddate':
    case 'provider_priority':
    case 'replaces_priority':
      return /^\d+$/.test(value) && Number.isSafeInteger(Number(value))
        ? undefined
        : 'is not an unsigned integer';
  }
}

/** Why one word of a list key is unacceptable, or undefined. */
export function listWordProblem(key: ListKey, word: string): string | undefined {
  if (/\s/.test(word)) return 'contains whitespace';
  try {
    switch (key) {
      case 'depend':
      case 'install_if':
      case 'replaces':
        parseDependency(word);
        return undefined;
      case 'provides':
        parseProvide(word);
        return undefined;
      case 'triggers':
        return word === '' ? 'is empty' : undefined;
    }
  } catch (err) {
    if (isLarderError(err))
      return `is not a valid ${key === 'provides' ? 'provide' : 'dependency'}: ${err.message}`;
    throw err;
  }
}
