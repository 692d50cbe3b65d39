import { describe, expect, it } from 'vitest';
import {
  BadPatternError,
  type GlobFs,
  goGlob,
  goMatch,
} from '../../../../src/image/assemble/ldso-cache/glob.js';

// [pattern, name, Go's path.Match answer ('bad' for ErrBadPattern)], checked against Go 1.19.
const MATCH: ReadonlyArray<readonly [string, string, boolean | 'bad']> = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[]a]', ']', 'bad'],
  ['[-]', '-', 'bad'],
  ['[x-]', 'x', 'bad'],
  ['[-x]', 'x', 'bad'],
  ['\\', 'a', 'bad'],
  ['[a-b-c]', 'a', 'bad'],
  ['[', 'a', 'bad'],
  ['[^bc', 'a', 'bad'],
  ['a[', 'ab', 'bad'],
  ['*x', 'xxx', true],
  ['*.conf', 'libc.conf', true],
  ['*.conf', '.conf', true],
  ['*.conf', 'libc.conf.bak', false],
  ['x*[', 'yz', 'bad'],
];

function match(pattern: string, name: string): boolean | 'bad' {
  try {
    return goMatch(pattern, name);
  } catch (err) {
    if (err instanceof BadPatternError) return 'bad';
    throw err;
  }
}

/** A fake filesystem: path → entries for directories, null for files. */
function fakeFs(tree: Record<string, string[] | null>): GlobFs {
  return {
    exists: (p) => p in tree,
    readDir: (p) => tree[p] ?? undefined,
  };
}

describe("Go's path.Match and fs.Glob", () => {
  it('matches as path.Match does, malformed patterns included', () => {
    for (const [pattern, name, want] of MATCH)
      expect(match(pattern, name), `${pattern} ~ ${name}`).toBe(want);
  });

  it('globs one directory level, in directory order, with relative paths', () => {
    const fs = fakeFs({
      '.': ['etc'],
      etc: ['ld.so.conf', 'ld.so.conf.d'],
      'etc/ld.so.conf.d': ['b.conf', 'a.conf', 'c.txt'],
    });
    expect(goGlob(fs, 'etc/ld.so.conf.d/*.conf')).toEqual([
      'etc/ld.so.conf.d/b.conf',
      'etc/ld.so.conf.d/a.conf',
    ]);
    expect(goGlob(fs, 'etc/*/a.conf')).toEqual(['etc/ld.so.conf.d/a.conf']);
    expect(goGlob(fs, 'etc/*.d/?.conf')).toEqual(['etc/ld.so.conf.d/b.conf', 'etc/ld.so.conf.d/a.conf']);
    expect(goGlob(fs, 'e*')).toEqual(['etc']);
  });

  it('returns a pattern without metacharacters only when it exists, and ignores unreadable directories', () => {
    const fs = fakeFs({ etc: ['x.conf'], 'etc/x.conf': null });
    expect(goGlob(fs, 'etc/x.conf')).toEqual(['etc/x.conf']);
    expect(goGlob(fs, 'etc/y.conf')).toEqual([]);
    expect(goGlob(fs, 'missing/*.conf')).toEqual([]);
    expect(goGlob(fs, 'etc/x.conf/*')).toEqual([]);
  });

  it('rejects a malformed pattern even when nothing could match', () => {
    expect(() => goGlob(fakeFs({}), 'nowhere/[')).toThrow(BadPatternError);
    expect(() => goGlob(fakeFs({}), 'etc/\\')).toThrow(BadPatternError);
  });
});
