import { describe, expect, it } from 'vitest';
import { groupPackages, type LayerPackage } from '../../../src/image/layering/group-packages.js';
import { thrown } from './helpers.js';

// apko's TestGroupByOriginAndSize cases (pkg/build/layers_test.go), plus budgets around the
// number of origins.

function pkg(name: string, origin: string, installedSize: number, more: Partial<LayerPackage> = {}) {
  return { name, version: '1.0-r0', origin, installedSize, replaces: [], ...more } satisfies LayerPackage;
}

const crane = pkg('crane', 'crane', 100);
const glibc = pkg('glibc', 'glibc', 6113087);
const posix = pkg('glibc-locale-posix', 'glibc', 417444);
const libcrypt1 = pkg('libcrypt1', 'glibc', 23508, { version: '2.38-r14' });
const newcrypt1 = pkg('libcrypt1', 'glibc', 23508, { version: '2.38-r16' });
const libxcrypt = pkg('libxcrypt', 'libxcrypt', 235761, { replaces: ['libcrypt1<2.38-r15'] });
const repxcrypt = pkg('libxcrypt', 'libxcrypt', 235761, { replaces: ['libcrypt1'] });

const sum = (...pkgs: LayerPackage[]) => pkgs.reduce((n, p) => n + (p.installedSize ?? 0), 0);
const shape = (groups: ReturnType<typeof groupPackages>) =>
  groups.map((g) => ({ names: g.packages.map((p) => p.name), size: g.size, tiebreaker: g.tiebreaker }));

describe('groupPackages (apko origin strategy)', () => {
  it.each([
    ['one package', [crane], 1, [{ names: ['crane'], size: 100, tiebreaker: 'crane' }]],
    [
      'same origin shares a group; largest group first',
      [crane, glibc, posix],
      2,
      [
        { names: ['glibc', 'glibc-locale-posix'], size: sum(glibc, posix), tiebreaker: 'glibc-locale-posix' },
        { names: ['crane'], size: 100, tiebreaker: 'crane' },
      ],
    ],
    [
      'budget 1 merges everything',
      [crane, glibc, posix],
      1,
      [
        {
          names: ['crane', 'glibc', 'glibc-locale-posix'],
          size: sum(crane, glibc, posix),
          tiebreaker: 'glibc-locale-posix',
        },
      ],
    ],
    [
      'a matching replaces merges the replacer into the replaced group',
      [crane, glibc, posix, libcrypt1, libxcrypt],
      5,
      [
        {
          names: ['glibc', 'glibc-locale-posix', 'libcrypt1', 'libxcrypt'],
          size: sum(glibc, posix, libcrypt1, libxcrypt),
          tiebreaker: 'libxcrypt',
        },
        { names: ['crane'], size: 100, tiebreaker: 'crane' },
      ],
    ],
    [
      'a replaces whose version does not match keeps groups apart',
      [crane, glibc, posix, newcrypt1, libxcrypt],
      5,
      [
        {
          names: ['glibc', 'glibc-locale-posix', 'libcrypt1'],
          size: sum(glibc, posix, newcrypt1),
          tiebreaker: 'libcrypt1',
        },
        { names: ['libxcrypt'], size: sum(libxcrypt), tiebreaker: 'libxcrypt' },
        { names: ['crane'], size: 100, tiebreaker: 'crane' },
      ],
    ],
    [
      'an unversioned replaces matches any version',
      [crane, glibc, posix, newcrypt1, repxcrypt],
      5,
      [
        {
          names: ['glibc', 'glibc-locale-posix', 'libcrypt1', 'libxcrypt'],
          size: sum(glibc, posix, newcrypt1, repxcrypt),
          tiebreaker: 'libxcrypt',
        },
        { names: ['crane'], size: 100, tiebreaker: 'crane' },
      ],
    ],
    [
      'budget smaller than the groups: the smallest merge into the last',
      [crane, glibc, posix, newcrypt1, libxcrypt],
      2,
      [
        {
          names: ['glibc', 'glibc-locale-posix', 'libcrypt1'],
          size: sum(glibc, posix, newcrypt1),
          tiebreaker: 'libcrypt1',
        },
        { names: ['crane', 'libxcrypt'], size: sum(crane, libxcrypt), tiebreaker: 'libxcrypt' },
      ],
    ],
  ])('%s', (_name, pkgs, budget, expected) => {
    expect(shape(groupPackages(pkgs, budget))).toEqual(expected);
  });

  it('budget equal to, and larger than, the number of origins keeps one group per origin', () => {
    const pkgs = [pkg('a', 'a', 30), pkg('b', 'b', 20), pkg('c', 'c', 10), pkg('c-dev', 'c', 5)];
    const names = (budget: number) => shape(groupPackages(pkgs, budget)).map((g) => g.names);
    expect(names(3)).toEqual([['a'], ['b'], ['c', 'c-dev']]);
    expect(names(10)).toEqual([['a'], ['b'], ['c', 'c-dev']]);
    expect(names(2)).toEqual([['a'], ['b', 'c', 'c-dev']]);
  });

  it('orders equal sizes by the smaller greatest name, and input order does not matter', () => {
    const pkgs = [pkg('zz', 'z', 10), pkg('mm', 'm', 10), pkg('aa', 'm', 0), pkg('no-origin', '', 10)];
    const { origin: _, ...plain } = pkg('x', '', 10);
    const groups = shape(groupPackages([...pkgs, plain], 9));
    expect(groups.map((g) => g.names)).toEqual([['no-origin', 'x'], ['aa', 'mm'], ['zz']]);
    expect(shape(groupPackages([plain, ...pkgs].reverse(), 9))).toEqual(groups);
  });

  it('merges chains of replaces across several origins', () => {
    const a = pkg('a', 'oa', 1);
    const b = pkg('b', 'ob', 1, { replaces: ['a'] });
    const c = pkg('c', 'oc', 1, { replaces: ['b>=1.0'] });
    const d = pkg('d', 'od', 1, { replaces: ['not-installed'] });
    expect(shape(groupPackages([a, b, c, d], 10)).map((g) => g.names)).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('no packages: no groups', () => {
    expect(groupPackages([], 3)).toEqual([]);
  });

  it('a broken replaces entry is an error naming it', () => {
    const err = thrown(
      () => groupPackages([pkg('a', 'a', 1, { replaces: ['b<<'] })], 2),
      'DEPENDENCY_INVALID',
    );
    expect(err.message).toContain('b<<');
  });
});
