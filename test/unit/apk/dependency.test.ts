import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Dependency,
  dependencyMatches,
  formatDependency,
  parseDependency,
  parseDependencyList,
  parseProvide,
  VERSION_OPS,
  versionOpMask,
} from '../../../src/apk/dependency.js';
import { PKGNAME_PATTERN, pkgverProblem } from '../../../src/apk/pkginfo-fields.js';
import { DEPMASK_ANY } from '../../../src/apk/version.js';
import { isLarderError, q1Checksum } from '../../../src/core/index.js';

const Q1 = 'Q1Ef4ht0r5hjWyoqe2hnKwLrWQmJs=';

describe('parseDependency', () => {
  it.each<[string, Dependency]>([
    ['busybox', { name: 'busybox', conflict: false, op: 'any' }],
    ['so:libc.so.6', { name: 'so:libc.so.6', conflict: false, op: 'any' }],
    ['so:libc.musl-x86_64.so.1', { name: 'so:libc.musl-x86_64.so.1', conflict: false, op: 'any' }],
    ['cmd:hello=2.12.1-r0', { name: 'cmd:hello', conflict: false, op: '=', version: '2.12.1-r0' }],
    ['pc:zlib>=1.3', { name: 'pc:zlib', conflict: false, op: '>=', version: '1.3' }],
    ['py3.10:mod<2', { name: 'py3.10:mod', conflict: false, op: '<', version: '2' }],
    ['/bin/sh', { name: '/bin/sh', conflict: false, op: 'any' }],
    [
      'so-ver:libfoo.so.1>=1.2-r0',
      { name: 'so-ver:libfoo.so.1', conflict: false, op: '>=', version: '1.2-r0' },
    ],
    ['foo<=1.0', { name: 'foo', conflict: false, op: '<=', version: '1.0' }],
    ['foo>1.0', { name: 'foo', conflict: false, op: '>', version: '1.0' }],
    ['perl~5.36', { name: 'perl', conflict: false, op: '~', version: '5.36' }],
    ['perl=~5.36', { name: 'perl', conflict: false, op: '~', version: '5.36' }],
    ['perl~=5.36', { name: 'perl', conflict: false, op: '~', version: '5.36' }],
    ['foo=>1.0', { name: 'foo', conflict: false, op: '>=', version: '1.0' }],
    ['!foo', { name: 'foo', conflict: true, op: 'any' }],
    ['!foo<2', { name: 'foo', conflict: true, op: '<', version: '2' }],
    ['foo@edge', { name: 'foo', conflict: false, tag: 'edge', op: 'any' }],
    ['foo@edge=1.2-r0', { name: 'foo', conflict: false, tag: 'edge', op: '=', version: '1.2-r0' }],
    ['foo=1.2-r0@edge', { name: 'foo', conflict: false, tag: 'edge', op: '=', version: '1.2-r0' }],
    [`foo><${Q1}`, { name: 'foo', conflict: false, op: '><', version: Q1 }],
    ['foo><not-a-version!', { name: 'foo', conflict: false, op: '><', version: 'not-a-version!' }],
  ])('%s', (text, expected) => {
    expect(parseDependency(text)).toEqual(expected);
  });

  it.each([
    ['foo=', 'has no version'],
    ['=1.0', 'empty package name'],
    ['', 'empty package name'],
    ['foo=1.0-x', "version '1.0-x'"],
    ['foo bar', 'whitespace'],
    [' foo', 'whitespace'],
    ['foo>~1.0', "operator '>~'"],
    ['foo<~1.0', "operator '<~'"],
    ['foo@', 'repository tag'],
    ['foo@a=1@b', 'tag given twice'],
    ['foo=@edge', 'has no version'],
  ])('rejects %s', (text, why) => {
    let error: unknown;
    try {
      parseDependency(text);
    } catch (err) {
      error = err;
    }
    expect(isLarderError(error, 'DEPENDENCY_INVALID')).toBe(true);
    expect((error as Error).message).toContain(`'${text}'`);
    expect((error as Error).message).toContain(why);
  });

  it('chains the version error as the cause', () => {
    expect(() => parseDependency('foo=1.0A')).toThrow(
      expect.objectContaining({
        code: 'DEPENDENCY_INVALID',
        cause: expect.objectContaining({ code: 'VERSION_INVALID' }),
      }),
    );
  });
});

describe('formatDependency', () => {
  it.each([
    ['foo', 'foo'],
    ['!foo<2', '!foo<2'],
    ['foo@edge>=1.0', 'foo@edge>=1.0'],
    ['foo=1.0@edge', 'foo@edge=1.0'],
    ['perl=~5.36', 'perl~5.36'],
    ['foo=>1', 'foo>=1'],
    [`foo<>${Q1}`, `foo><${Q1}`],
  ])('%s is written %s and round-trips', (input, canonical) => {
    const dep = parseDependency(input);
    expect(formatDependency(dep)).toBe(canonical);
    expect(parseDependency(canonical)).toEqual(dep);
  });

  it('refuses inconsistent objects', () => {
    expect(() => formatDependency({ name: 'a', conflict: false, op: '=' })).toThrow(/no version/);
    expect(() => formatDependency({ name: 'a', conflict: false, op: 'any', version: '1' })).toThrow(
      /without/,
    );
  });
});

describe('parseDependencyList and parseProvide', () => {
  it('splits on spaces and newlines', () => {
    const deps = parseDependencyList(' so:libc.so.6  busybox>=1.36\n!foo \n');
    expect(deps.map(formatDependency)).toEqual(['so:libc.so.6', 'busybox>=1.36', '!foo']);
    expect(parseDependencyList('')).toEqual([]);
  });

  it('parses provides', () => {
    expect(parseProvide('cmd:hello=2.12.1-r0')).toEqual({ name: 'cmd:hello', version: '2.12.1-r0' });
    expect(parseProvide('so:libfoo.so.1')).toEqual({ name: 'so:libfoo.so.1' });
    for (const bad of ['foo>=1', '!foo', 'foo@edge', 'foo=']) {
      expect(() => parseProvide(bad)).toThrow(expect.objectContaining({ code: 'DEPENDENCY_INVALID' }));
    }
  });

  it('maps every operator to its apk mask', () => {
    expect(VERSION_OPS.map(versionOpMask)).toEqual([DEPMASK_ANY, 1, 2, 3, 4, 5, 9, 6]);
  });
});

describe('dependencyMatches (apk_dep_is_provided)', () => {
  const m = (dep: string, name: string, version: string | undefined, csum?: string): boolean =>
    dependencyMatches(parseDependency(dep), name, version, csum);

  it.each<[string, string, string | undefined, boolean]>([
    ['foo', 'foo', '1.0-r0', true],
    ['foo', 'foo', undefined, true],
    ['foo=1.0-r0', 'foo', '1.0-r0', true],
    ['foo=1.0-r0', 'foo', '1.0-r1', false],
    ['foo>=1.0', 'foo', '1.0', true],
    ['foo>=1.0', 'foo', '0.9', false],
    ['foo<1.0', 'foo', '1.0_rc1', true],
    ['foo>1.0', 'foo', undefined, false],
    ['perl~5.36', 'perl', '5.36.0-r0', true],
    ['perl~5.36', 'perl', '5.38.0-r0', false],
    ['foo~1.2', 'foo', '1', true],
    ['!foo', 'foo', '1.0', false],
    ['!foo', 'foo', undefined, false],
    ['!foo<2', 'foo', '1.0', false],
    ['!foo<2', 'foo', '2.0', true],
    ['!foo<2', 'foo', undefined, true],
    ['foo', 'bar', '1.0', false],
    ['!foo', 'bar', '1.0', true],
  ])('%s vs %s %s → %s', (dep, name, version, expected) => {
    expect(m(dep, name, version)).toBe(expected);
  });

  it('matches >< by checksum, in Q1 or X1 form, and never inverts it (as apk)', () => {
    const x1 = `X1${Buffer.from(Q1.slice(2), 'base64').toString('hex')}`;
    expect(m(`foo><${Q1}`, 'foo', '1.0', Q1)).toBe(true);
    expect(m(`foo><${Q1}`, 'foo', '1.0', x1)).toBe(true);
    expect(m(`foo><${Q1}`, 'foo', '1.0', q1Checksum(Buffer.alloc(20)))).toBe(false);
    expect(m(`foo><${Q1}`, 'foo', '1.0')).toBe(false);
    expect(m(`!foo><${Q1}`, 'foo', '1.0', Q1)).toBe(true);
  });
});

describe('Alpine 3.17 index (5,004 packages)', () => {
  const index = execFileSync(
    'tar',
    [
      '-xzOf',
      fileURLToPath(
        new URL('../../../../shared/fixtures/index/alpine-317-aarch64/APKINDEX.tar.gz', import.meta.url),
      ),
      'APKINDEX',
    ],
    { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString('utf8');
  const field = (letter: string): string[] =>
    index
      .split('\n')
      .filter((line) => line.startsWith(`${letter}:`))
      .map((line) => line.slice(2));

  it('every name passes the pkgname rule and every version the pkgver rule', () => {
    const names = field('P');
    expect(names).toHaveLength(5004);
    expect(names.filter((n) => !PKGNAME_PATTERN.test(n))).toEqual([]);
    expect(field('V').filter((v) => pkgverProblem(v) !== undefined)).toEqual([]);
  });

  it('every D:, p: and i: entry parses and is written back unchanged', () => {
    const words = [...field('D'), ...field('p'), ...field('i')].flatMap((line) => line.split(' '));
    expect(words.length).toBeGreaterThan(20000);
    const changed = words.filter((w) => formatDependency(parseDependency(w)) !== w);
    expect(changed).toEqual([]);
  });
});
