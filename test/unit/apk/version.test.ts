import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  apkVersionCompare,
  assertValidVersion,
  compareVersions,
  DEPMASK_ANY,
  DEPMASK_CHECKSUM,
  isValidVersion,
  VERSION_EQUAL,
  VERSION_FUZZY,
  VERSION_GREATER,
  VERSION_LESS,
  VERSION_UNORDERED,
  versionProblem,
} from '../../../src/apk/version.js';
import { LarderError } from '../../../src/core/index.js';

const VECTORS = fileURLToPath(
  new URL('../../../../shared/fixtures/version/apk-tools-2.14-version.data', import.meta.url),
);
const SIGN = { '<': -1, '=': 0, '>': 1 } as const;
const REVERSED = { '<': 1, '=': 0, '>': -1 } as const;

describe('apk-tools 2.14 version vectors', () => {
  it('agrees with all 733 vectors of test/version.data, in both directions', () => {
    const lines = readFileSync(VECTORS, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(733);
    const disagreements: string[] = [];
    for (const line of lines) {
      const [a, op, b] = line.split(/\s+/);
      if (a === undefined || b === undefined || (op !== '<' && op !== '=' && op !== '>')) {
        throw new Error(`bad vector line: ${line}`);
      }
      const forward = compareVersions(a, b);
      const backward = compareVersions(b, a);
      if (forward !== SIGN[op] || backward !== REVERSED[op])
        disagreements.push(`${line} (got ${forward}/${backward})`);
    }
    expect(disagreements).toEqual([]);
  });
});

// formats.md §3.6, "Worked examples".
const WORKED: Array<[string, '<' | '=' | '>', string]> = [
  ['1.0', '=', '1.0'],
  ['1.0', '<', '1.0.0'],
  ['1.2', '<', '1.10'],
  ['1.2.3', '<', '1.2.3.0'],
  ['1.01', '<', '1.1'],
  ['1.05', '<', '1.5'],
  ['1.010', '>', '1.09'],
  ['1.0', '>', '1.00'],
  ['0.0.1', '>', '0.0.01'],
  ['006', '>', '1.0.0'],
  ['1.0a', '>', '1.0'],
  ['1.0a', '<', '1.0b'],
  ['1.0a1', '>', '1.0a'],
  ['1.0b', '<', '1.0.1'],
  ['1.0_alpha', '<', '1.0'],
  ['1.0_alpha', '<', '1.0_beta'],
  ['2.0_pre1', '<', '2.0_rc1'],
  ['1.0_rc', '<', '1.0_rc0'],
  ['1.0_rc1', '<', '1.0_rc10'],
  ['1.0_rc1-r5', '<', '1.0'],
  ['1.0_alpha_pre2', '<', '1.0_alpha'],
  ['1.0_p1', '>', '1.0'],
  ['1.0_cvs', '<', '1.0_svn'],
  ['1.0_git20240101', '<', '1.0_p1'],
  ['1.0_p1', '>', '1.0-r1'],
  ['1.0-r0', '>', '1.0'],
  ['1.0-r1', '>', '1.0-r0'],
  ['1.0-r1', '<', '1.0.1'],
  ['6.0_pre1', '<', '6.0'],
  ['20240101', '>', '2.0'],
  ['1.0', '<', '1.0bc'],
  ['1.0_foo', '<', '1.0'],
  ['1.0-x', '>', '1.0'],
  ['1.0-r1', '<', '1.0-r1a'],
  // beyond the table: 16-17 digit numbers exceed 2^53 and must still compare exactly
  ['12345678901234567', '<', '12345678901234568'],
  ['1.99999999999999999', '>', '1.99999999999999998'],
];

describe('worked examples (formats.md §3.6)', () => {
  it.each(WORKED)('%s %s %s', (a, op, b) => {
    expect(compareVersions(a, b)).toBe(SIGN[op]);
    expect(compareVersions(b, a)).toBe(REVERSED[op]);
  });
});

// formats.md §3.5: `package ~constraint`; fuzzy matching is symmetric.
const FUZZY: Array<[string, string, boolean]> = [
  ['1.2.3', '1.2', true],
  ['1.2', '1.2', true],
  ['1.2_rc1', '1.2', true],
  ['1.2-r5', '1.2', true],
  ['3.12.1', '3', true],
  ['5.36.0-r0', '5.36', true],
  ['1', '1.2', true],
  ['1.20', '1.2', false],
  ['1.3', '1.2', false],
  ['3.2', '3.12', false],
];

describe('fuzzy ~ (formats.md §3.5)', () => {
  const fuzzyMatch = (pkg: string, want: string): boolean =>
    (apkVersionCompare(pkg, want, true) & (VERSION_FUZZY | VERSION_EQUAL)) !== 0;

  it.each(FUZZY)('%s ~%s is %s', (pkg, constraint, expected) => {
    expect(fuzzyMatch(pkg, constraint)).toBe(expected);
    expect(fuzzyMatch(constraint, pkg)).toBe(expected);
  });

  it('picks the same candidates as apko TestResolveVersion', () => {
    const candidates = [
      '1.2.3-r0',
      '1.2.8-r0',
      '1.3.6-r0',
      '1.7.1-r0',
      '1.7.1-r1',
      '2.0.6-r0',
      '0.14.0-r3',
      '0.15.0-r0',
    ];
    const best = (constraint: string): string | undefined =>
      candidates
        .filter((c) => fuzzyMatch(c, constraint))
        .sort(compareVersions)
        .at(-1);
    expect(best('1.7')).toBe('1.7.1-r1');
    expect(best('1.7.1')).toBe('1.7.1-r1');
    expect(best('1.7.1-r2')).toBeUndefined();
    expect(best('1.6')).toBeUndefined();
    expect(best('0.14')).toBe('0.14.0-r3');
  });

  it('without fuzzy, a longer version is not equal', () => {
    expect(apkVersionCompare('1.2.3', '1.2')).toBe(VERSION_GREATER);
    expect(apkVersionCompare('1.2_rc1', '1.2')).toBe(VERSION_LESS);
  });
});

describe('result masks', () => {
  it('uses apk-tools constant values', () => {
    expect([VERSION_EQUAL, VERSION_LESS, VERSION_GREATER, VERSION_FUZZY]).toEqual([1, 2, 4, 8]);
    expect(DEPMASK_ANY).toBe(15);
    expect(DEPMASK_CHECKSUM).toBe(6);
    expect(VERSION_UNORDERED).toBe(7);
  });

  it('treats undefined as apk null versions', () => {
    expect(apkVersionCompare(undefined, undefined)).toBe(VERSION_EQUAL);
    expect(apkVersionCompare('1.0', undefined)).toBe(VERSION_UNORDERED);
    expect(apkVersionCompare(undefined, '1.0')).toBe(VERSION_UNORDERED);
  });
});

describe('validation', () => {
  it.each([
    '1.0',
    '1.2.3-r0',
    '0.1.0_alpha_pre2',
    '1.0a1',
    '1.0_rc1_p2',
    '006',
    '20240101',
    '1.0_git20240101-r3',
    '12345678901234567',
    '2.12r-r4',
  ])('accepts %s', (v) => {
    expect(isValidVersion(v)).toBe(true);
    expect(() => assertValidVersion(v)).not.toThrow();
  });

  it.each([
    ['1.0A', 'lower-case'],
    ['1.0-1', "'-rN'"],
    ['1.0+x', "'+'"],
    ['1.0a.1', 'cannot follow a letter'],
    ['1.0-r1.2', 'cannot follow the revision'],
    ['123456789012345678', '18 or more digits'],
    ['1.0_foo', "unknown suffix '_foo'"],
    ['1.0bc', 'cannot follow a letter'],
  ])('rejects %s (%s)', (v, why) => {
    expect(isValidVersion(v)).toBe(false);
    expect(versionProblem(v)).toContain(why);
    expect(() => assertValidVersion(v, 'pkgver')).toThrow(LarderError);
    try {
      assertValidVersion(v, 'pkgver');
    } catch (err) {
      expect(err).toMatchObject({ code: 'VERSION_INVALID' });
      expect((err as Error).message).toContain(`pkgver: invalid version '${v}'`);
    }
  });

  it("keeps apk's leniency: '', 'a', '.1' and '1.0-r' validate exactly as in apk-tools", () => {
    for (const v of ['', 'a', '.1', '1.0-r', '_p1']) expect(isValidVersion(v)).toBe(true);
  });
});
