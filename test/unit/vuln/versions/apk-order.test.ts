import { describe, expect, it } from 'vitest';
import { apkOrder, ecosystemOrder, rangeOrders } from '../../../../src/vuln/versions/index.js';
import { expectAscending, expectEqual } from './ordering.js';

describe('apk order in vulnerability data', () => {
  it('is apk-tools ordering with a leading v trimmed', () => {
    expectAscending(apkOrder, [
      '1.0_alpha1-r0',
      '1.0_rc1-r0',
      '1.0-r0',
      '1.0-r1',
      '1.0_p1-r0',
      '1.0a-r0',
      '1.0.1-r0',
      '3.0.7-r0',
      '3.0.10-r0',
    ]);
    expectEqual(apkOrder, [['v1.2.3-r0', '1.2.3-r0']]);
  });

  it('rejects versions apk rejects', () => {
    expect(() => apkOrder.parse('2.0_foo-r0')).toThrow(/invalid apk version '2.0_foo-r0': unknown suffix/);
    expect(() => apkOrder.parse('a.b')).toThrow(/invalid apk version/);
    expect(() => apkOrder.parse('')).toThrow(/invalid apk version/);
  });
});

describe('ecosystem orders', () => {
  it('maps each ecosystem to its order', () => {
    expect(
      (['apk', 'go', 'pypi', 'maven', 'npm', 'cargo'] as const).map((e) => [e, ecosystemOrder(e).name]),
    ).toEqual([
      ['apk', 'apk'],
      ['go', 'go'],
      ['pypi', 'pep440'],
      ['maven', 'maven'],
      ['npm', 'semver'],
      ['cargo', 'fuzzy'],
    ]);
  });

  it('lets SEMVER ranges of non-semver ecosystems fall back to semver, and ignores GIT', () => {
    expect(rangeOrders('SEMVER', 'pypi').map((o) => o.name)).toEqual(['pep440', 'semver']);
    expect(rangeOrders('ECOSYSTEM', 'pypi').map((o) => o.name)).toEqual(['pep440']);
    expect(rangeOrders('SEMVER', 'go').map((o) => o.name)).toEqual(['go']);
    expect(rangeOrders('GIT', 'go')).toEqual([]);
  });
});
