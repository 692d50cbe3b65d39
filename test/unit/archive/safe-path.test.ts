import { describe, expect, it } from 'vitest';
import { checkLinkTarget, safeEntryPath } from '../../../src/archive/index.js';
import { larderError } from './helpers.js';

describe('safeEntryPath', () => {
  it.each([
    ['usr/bin/sh', 'usr/bin/sh'],
    ['./usr/bin/sh', 'usr/bin/sh'],
    ['././usr', 'usr'],
    ['usr//bin///sh', 'usr/bin/sh'],
    ['usr/bin/', 'usr/bin'],
    ['usr/./bin', 'usr/bin'],
    ['./', '.'],
    ['.', '.'],
    ['.PKGINFO', '.PKGINFO'],
    ['..hidden/x', '..hidden/x'],
    ['a/b..c', 'a/b..c'],
  ])('normalises %j to %j', (name, expected) => {
    expect(safeEntryPath(name)).toBe(expected);
  });

  it.each([
    ['', /empty name/],
    ['/etc/x', /absolute path/],
    ['//etc/x', /absolute path/],
    ['../x', /"\.\." component/],
    ['a/../../x', /"\.\." component/],
    ['a/..', /"\.\." component/],
    ['a/../b', /"\.\." component/],
    ['./../x', /"\.\." component/],
    ['a\0b', /NUL/],
  ])('refuses %j', async (name, why) => {
    const err = await larderError(() => safeEntryPath(name), 'TAR_UNSAFE_PATH');
    expect(err.message).toMatch(why);
    expect(err.message).toContain('unsafe tar entry path');
  });
});

describe('checkLinkTarget', () => {
  it.each([
    ['usr/bin/sh', 'symlink', 'busybox'],
    ['usr/bin/y', 'symlink', '../lib/x'],
    ['usr/bin/y', 'symlink', '../../etc/x'],
    ['usr/bin/sh', 'symlink', '/bin/busybox'],
    ['usr/bin/sh', 'symlink', '/../../../etc/passwd'],
    ['lib64', 'symlink', 'lib'],
    ['x', 'symlink', '.'],
    ['usr/x', 'symlink', './a/../b'],
    ['usr/bin/ping6', 'hardlink', 'usr/bin/ping'],
    ['usr/bin/ping6', 'hardlink', './usr/bin/ping'],
  ] as const)('allows %s (%s) -> %s', (path, type, target) => {
    expect(() => checkLinkTarget(path, type, target)).not.toThrow();
  });

  it.each([
    ['usr/x', 'symlink', '../../etc/passwd', /resolves outside the root/],
    ['x', 'symlink', '..', /resolves outside the root/],
    ['usr/bin/y', 'symlink', '../../../x', /resolves outside the root/],
    ['usr/x', 'symlink', 'a/../../../b', /resolves outside the root/],
    ['usr/x', 'symlink', '', /empty target/],
    ['usr/x', 'symlink', 'a\0', /NUL/],
    ['usr/x', 'hardlink', '/etc/shadow', /absolute path/],
    ['usr/x', 'hardlink', '../etc/shadow', /"\.\." component/],
    ['../x', 'symlink', 'y', /"\.\." component/],
  ] as const)('refuses %s (%s) -> %j', async (path, type, target, why) => {
    const err = await larderError(() => checkLinkTarget(path, type, target), 'TAR_UNSAFE_PATH');
    expect(err.message).toMatch(why);
  });
});
