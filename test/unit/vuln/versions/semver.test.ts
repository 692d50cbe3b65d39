import { describe, expect, it } from 'vitest';
import { fuzzyCompare, fuzzyOrder, parseSemver, semverOrder } from '../../../../src/vuln/versions/index.js';
import { expectAscending, expectEqual } from './ordering.js';

describe('semver 2.0 order (npm, OSV SEMVER ranges)', () => {
  it('orders the semver.org precedence example and numbers by value', () => {
    expectAscending(semverOrder, [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.2.0',
      '1.10.0',
      '2.0.0-0',
      '2.0.0',
      '10.0.0',
      '99999999999999999999.0.0',
    ]);
  });

  it('ignores build metadata and a leading v', () => {
    expectEqual(semverOrder, [
      ['1.0.0', 'v1.0.0', '1.0.0+build.5', '1.0.0+20130313144700'],
      ['1.0.0-rc.1', '1.0.0-rc.1+sha.5114f85'],
    ]);
  });

  it('rejects what semver 2.0 rejects, naming the reason', () => {
    for (const bad of [
      '1.0',
      '1',
      '01.0.0',
      '1.02.0',
      '1.0.0-01',
      '1.0.0-',
      '1.0.0+',
      'x.y.z',
      '',
      '1.0.0-a..b',
    ]) {
      expect(() => semverOrder.parse(bad), bad).toThrow(/invalid semver version/);
    }
    expect(() => semverOrder.parse('1.02.0')).toThrow(/leading zero/);
    expect(parseSemver('1.0.0-x-y.7')?.pre).toEqual([
      { text: 'x-y', numeric: false },
      { text: '7', numeric: true },
    ]);
  });
});

describe('fuzzy order (crates.io and unknown formats)', () => {
  it('uses semver when both sides read as semver, partial versions included', () => {
    expectAscending(fuzzyOrder, ['0.9', '1.0.0-rc.1', '1', '1.0.1', 'v1.1', '1.10.0']);
    expectEqual(fuzzyOrder, [['1', '1.0', '1.0.0', 'v1.0.0']]);
  });

  it('compares other versions part by part: digits by value, then text, then length', () => {
    expectAscending(fuzzyOrder, ['1.0.2', '1.0.2k', '1.0.2l', '1.0.10', '1.1a', '1.1b']);
    expect(fuzzyCompare('95SE', '98SP1')).toBeLessThan(0);
    expect(fuzzyCompare('16.3.2', '3.7.0')).toBeGreaterThan(0);
    expect(fuzzyCompare('1.0.2k', '1.0.2k')).toBe(0);
    expect(fuzzyCompare('2.4_p1', '2.4')).toBeGreaterThan(0);
    expect(fuzzyCompare('b4', '11')).toBeLessThan(0);
  });

  it('rejects only the empty version', () => {
    expect(() => fuzzyOrder.parse(' ')).toThrow(/invalid fuzzy version/);
  });
});
