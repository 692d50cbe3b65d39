import { describe, expect, it } from 'vitest';
import { dlCacheLibcmp, parseLibFilename } from '../../../../src/image/assemble/ldso-cache/lib-names.js';

describe('library file names', () => {
  it('splits lib*.so* and ld-*.so* names at the last .so., as apko does', () => {
    const cases: Array<[string, [string, string] | undefined]> = [
      ['libfoo.so.1', ['libfoo', '1']],
      ['libfoo.so.1.2', ['libfoo', '1.2']],
      ['libso.so.1', ['libso', '1']],
      ['libso.so', ['libso', '']],
      ['libso.so.so', ['libso.so', '']],
      ['libso.so.so.7', ['libso.so', '7']],
      ['libfoo.so.', ['libfoo', '']],
      ['lib.so', ['lib', '']],
      ['ld-linux-x86-64.so.2', ['ld-linux-x86-64', '2']],
      ['foo.so.1', undefined],
      ['libfoo.no.1', undefined],
      ['libfoo.a', undefined],
      ['lib', undefined],
    ];
    for (const [name, want] of cases) {
      const got = parseLibFilename(name);
      expect(got === undefined ? undefined : [got.name, got.version], name).toEqual(want);
    }
  });

  it("orders names as glibc's _dl_cache_libcmp", () => {
    // a digit outranks any other byte; digit runs compare as numbers
    expect(dlCacheLibcmp('libyaml-0.so.2', 'libyaml-cpp.so.0.8')).toBe(1);
    expect(dlCacheLibcmp('libyaml-cpp.so.0.8', 'libyaml-0.so.2')).toBe(-1);
    expect(dlCacheLibcmp('libfoo.so.9', 'libfoo.so.10')).toBe(-1);
    expect(dlCacheLibcmp('libfoo.so.010', 'libfoo.so.10')).toBe(0);
    expect(dlCacheLibcmp('libfoo.so.13', 'libfoo.so.13')).toBe(0);
    // the longer rest is greater; other bytes compare unsigned (UTF-8 above ASCII)
    expect(dlCacheLibcmp('libc.so.6', 'libc.so')).toBe(1);
    expect(dlCacheLibcmp('libA.so', 'liba.so')).toBe(-1);
    expect(dlCacheLibcmp('libé.so', 'libz.so')).toBe(1);
    // 2^64 + 1 wraps to 1 in apko's Go int
    expect(dlCacheLibcmp('lib18446744073709551617.so', 'lib1.so')).toBe(0);
  });
});
