import { describe, expect, it } from 'vitest';
import { parsePep440, pep440Order } from '../../../../src/vuln/versions/index.js';
import { expectAscending, expectEqual } from './ordering.js';

describe('PEP 440 order', () => {
  it('orders the PEP 440 example sequence: dev < pre < final < post, epochs first', () => {
    expectAscending(pep440Order, [
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
      '2.0',
      '10.0',
      '1!0.1',
      '1!1.0',
      '2!0.0.1',
    ]);
  });

  it('normalizes spellings', () => {
    expectEqual(pep440Order, [
      ['1.0', '1.0.0', '1', 'v1.0', 'V1.0.0', ' 1.0 ', '0!1.0'],
      ['1.0a1', '1.0alpha1', '1.0-a1', '1.0.a.1', '1.0_ALPHA_1', '1.0a01'],
      ['1.0b0', '1.0b', '1.0beta', '1.0-beta-0'],
      ['1.0rc1', '1.0c1', '1.0pre1', '1.0preview1', '1.0-rc.1'],
      ['1.0.post1', '1.0-1', '1.0post1', '1.0-r1', '1.0.rev1', '1.0_post_1'],
      ['1.0.post0', '1.0.post', '1.0-post'],
      ['1.0.dev0', '1.0.dev', '1.0-dev0', '1.0dev'],
      ['1.0+ubuntu.1', '1.0+ubuntu-1', '1.0+UBUNTU_1', '1.0+ubuntu.01'],
    ]);
  });

  it('keeps the parts it parsed', () => {
    expect(parsePep440('1!2.0.0rc1.post2.dev3+local.7')).toEqual({
      epoch: '1',
      release: ['2'],
      pre: { rank: 2, n: '1' },
      post: '2',
      dev: '3',
      local: [
        { text: 'local', numeric: false },
        { text: '7', numeric: true },
      ],
    });
  });

  it('ignores a local label against a bound without one', () => {
    const installed = parsePep440('1.0.0+local');
    const bound = parsePep440('1.0.0');
    expect(pep440Order.compare(installed, bound)).toBeGreaterThan(0);
    expect(pep440Order.compare(pep440Order.againstBound!(installed, bound), bound)).toBe(0);
    const localBound = parsePep440('1.0.0+local.2');
    expect(pep440Order.compare(pep440Order.againstBound!(installed, localBound), localBound)).toBeLessThan(0);
  });

  it('rejects what is not PEP 440', () => {
    for (const bad of [
      '',
      'abc',
      '1.0+',
      '1.0.0-beta.1.2',
      '1..0',
      '1.0-',
      'a1.0',
      '1.0+loc al',
      '1.0.0.dev1.post1',
    ]) {
      expect(() => pep440Order.parse(bad), bad).toThrow(/invalid pep440 version/);
    }
  });
});
