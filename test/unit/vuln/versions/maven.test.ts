import { describe, expect, it } from 'vitest';
import { mavenOrder } from '../../../../src/vuln/versions/index.js';
import { expectAscending, expectEqual } from './ordering.js';

describe('Maven ComparableVersion order', () => {
  it('orders qualifiers: alpha < beta < milestone < rc = cr < snapshot < release < sp < others', () => {
    expectAscending(mavenOrder, [
      '1-alpha2snapshot',
      '1-alpha2',
      '1-alpha-123',
      '1-beta-2',
      '1-beta123',
      '1-m2',
      '1-m11',
      '1-rc',
      '1-cr2',
      '1-rc123',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-sp2',
      '1-sp123',
      '1-abc',
      '1-def',
      '1-pom-1',
      '1-1-snapshot',
      '1-1',
      '1-2',
      '1-123',
    ]);
  });

  it('orders numbers and letter/digit transitions', () => {
    expectAscending(mavenOrder, [
      '2.0',
      '2.0.a',
      '2-1',
      '2.0.2',
      '2.0.123',
      '2.1.0',
      '2.1-a',
      '2.1b',
      '2.1-c',
      '2.1-1',
      '2.1.0.1',
      '2.2',
      '2.123',
      '11.a2',
      '11.a11',
      '11.b2',
      '11.b11',
      '11.m2',
      '11.m11',
      '11',
      '11.a',
      '11b',
      '11c',
      '11m',
    ]);
  });

  it('ignores trailing zeros and release aliases, and case', () => {
    expectEqual(mavenOrder, [
      ['1', '1.0', '1.0.0', '1-0', '1.0-0', '1-ga', '1.ga', '1-final', '1.0.Final', '1-RELEASE', '1.0.0.GA'],
      ['1a', '1-a', '1.0-a', '1.0.0-a'],
      ['1cr', '1rc', '1-CR', '1.0-rc'],
      ['1a1', '1-a1', '1-alpha-1', '1.0-ALPHA1'],
      ['1m3', '1-milestone-3', '1.0-M3'],
      ['1x', '1-x', '1.0.0-x'],
      ['12.4.2.jre11', '12.4.2', '12.4.2.jre8', '12.4.2-jdk17'],
    ]);
  });

  it('orders the catalog.md examples: 1.0-rc1 < 1.0 < 1.0-sp1, SNAPSHOT before release', () => {
    expectAscending(mavenOrder, [
      '1.0-alpha1',
      '1.0-beta1',
      '1.0-rc1',
      '1.0-SNAPSHOT',
      '1.0',
      '1.0-sp1',
      '1.0.1',
    ]);
    expectAscending(mavenOrder, ['2.17.0', '2.17.1', '2.17.2', '2.18.0-rc1', '2.18.0']);
    expectAscending(mavenOrder, ['1.0.RC2', '1.0-RC3', '1.0.1']);
    expectAscending(mavenOrder, ['1.0.0.X1', '1.0.0-X2', '1.0.1']);
    expectAscending(mavenOrder, ['5.3.9', '5.3.18', '5.3.20.RELEASE-patch', '6.0.0-M1', '6.0.0']);
  });

  it('reads big numbers and rejects only the empty version', () => {
    expectAscending(mavenOrder, [
      '1.2147483647',
      '1.2147483648',
      '1.99999999999999999999',
      '1.100000000000000000000',
    ]);
    expect(() => mavenOrder.parse('  ')).toThrow(/invalid maven version/);
  });
});
