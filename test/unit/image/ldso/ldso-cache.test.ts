import { describe, expect, it } from 'vitest';
import { writeLdSoCache } from '../../../../src/image/assemble/ldso-cache/cache-writer.js';
import { cacheEntriesForDirs } from '../../../../src/image/assemble/ldso-cache/lib-scan.js';
import { TreeFs } from '../../../../src/image/assemble/ldso-cache/tree-fs.js';
import { updateLdSoCache } from '../../../../src/image/assemble/ldso-cache/update-cache.js';
import { synthFile } from '../../../../src/image/assemble/tree.js';
import { buildElf } from '../../../kit/elf-builder.js';
import { readLdSoCache } from '../../../kit/ld-so-cache.js';
import { thrown } from '../helpers.js';
import { rootOf, type Spec } from './root.js';

const so = (...sonames: string[]) => buildElf({ sonames }).bytes;
const X86 = 0x0303;
const ARM = 0x0a03;

/** apko's ldso-cache testdata `libroot`, with real ELF objects in place of its YAML stand-ins. */
const LIBROOT: Record<string, Spec> = {
  'etc/ld.so.conf': 'include /etc/ld.so.conf.d/*.conf\n\n',
  'etc/ld.so.conf.d/libc.conf': '/usr/local/lib\n/usr/local/lib64\n/lib\n/lib64\n/usr/lib\n/usr/lib64\n',
  'etc/ld.so.conf.d/sdk-v1.conf': '/usr/local/sdk-v1/lib\n',
  'etc/ld.so.conf.d/sdk-v2.conf': '/usr/local/sdk-v2/lib\n',
  lib: { link: 'usr/lib' },
  'usr/lib/libfoo.so.1': so('libfoo.so.1'),
  'usr/lib/libnosoname.so': so(),
  'usr/local/lib': { link: 'lib64' },
  'usr/local/lib64/.emptydir': '',
  'usr/local/sdk-v1/lib/libsdk.so': { link: 'libsdk.so.1' },
  'usr/local/sdk-v1/lib/libsdk.so.1': { link: 'libsdk.so.1.2.3' },
  'usr/local/sdk-v1/lib/libsdk.so.1.2.3': so('libsdk.so.1'),
  'usr/local/sdk-v2/lib/libsdk.so': { link: 'libsdk.so.1' },
  'usr/local/sdk-v2/lib/libsdk.so.1': { link: 'libsdk.so.1.3.1' },
  'usr/local/sdk-v2/lib/libsdk.so.1.3.1': so('libsdk.so.1'),
};

const entries = (spec: Record<string, Spec>, dirs: string[]) =>
  cacheEntriesForDirs(new TreeFs(rootOf(spec)), dirs).map((e) => [e.path, e.flags]);

describe('ld.so.cache entries', () => {
  it("lists apko's libroot as apko does: soname and .so link names, through directory links, in libcmp order", () => {
    const dirs = ['/usr/local/lib', '/usr/local/lib64', '/lib', '/lib64', '/usr/lib', '/usr/lib64'];
    expect(entries(LIBROOT, [...dirs, '/usr/local/sdk-v1/lib', '/usr/local/sdk-v2/lib'])).toEqual([
      ['/usr/local/sdk-v1/lib/libsdk.so.1', X86],
      ['/usr/local/sdk-v2/lib/libsdk.so.1', X86],
      ['/usr/local/sdk-v1/lib/libsdk.so', X86],
      ['/usr/local/sdk-v2/lib/libsdk.so', X86],
      ['/lib/libnosoname.so', X86],
      ['/usr/lib/libnosoname.so', X86],
      ['/lib/libfoo.so.1', X86],
      ['/usr/lib/libfoo.so.1', X86],
    ]);
  });

  it('flags aarch64 and 32-bit objects, and skips what is not a shared object of the right name', () => {
    expect(
      entries(
        {
          'usr/lib/libarm.so.1': buildElf({ machine: 183, sonames: ['libarm.so.1'] }).bytes,
          'usr/lib/libx32.so.2': buildElf({ elfClass: 32, sonames: ['libx32.so.2'] }).bytes,
          'usr/lib/libc.so': '/* GNU ld script */\nGROUP ( /usr/lib/libc.so.6 )\n',
          'usr/lib/libexec.so.1': buildElf({ type: 2, machine: 3, sonames: ['libexec.so.1'] }).bytes,
          'usr/lib/libother.so.3': so('libdifferent.so.3'),
          'usr/lib/notalib.so.1': so('notalib.so.1'),
          'usr/lib/libdir.so.1': { dir: true },
          'usr/lib/libdev.so.1': { device: true },
          'usr/lib/libdangling.so.1': { link: 'libgone.so.1' },
          'usr/lib/libloop.so.1': { link: 'libloop.so.1' },
          'usr/lib/libbadname.so.1': so('badname.so.1'),
        },
        ['/usr/lib'],
      ),
    ).toEqual([
      ['/usr/lib/libx32.so.2', X86],
      ['/usr/lib/libarm.so.1', ARM],
    ]);
  });

  it('cleans absolute directories, ignores relative ones with dot parts, and skips missing ones', () => {
    const spec = { 'usr/lib/libq.so.1': so('libq.so.1') };
    expect(entries(spec, ['/usr//lib/', '/usr/../usr/lib', 'usr/lib', 'usr/./lib', '/missing'])).toEqual([
      ['/usr/lib/libq.so.1', X86],
      ['/usr/lib/libq.so.1', X86],
      ['/usr/lib/libq.so.1', X86],
    ]);
  });

  it('fails on a machine apko has no flag for, and on a listed directory that is a file', () => {
    const arm32 = {
      'usr/lib/libold.so.1': buildElf({ elfClass: 32, machine: 40, sonames: ['libold.so.1'] }).bytes,
    };
    expect(thrown(() => entries(arm32, ['/usr/lib']), 'PACKAGE_INVALID').message).toBe(
      '/usr/lib/libold.so.1: ELF machine 40 has no ld.so.cache flag (apko knows x86_64 and aarch64)',
    );
    expect(thrown(() => entries({ 'opt/lib': 'x' }, ['/opt/lib']), 'PACKAGE_INVALID').message).toBe(
      'ld.so.conf directory /opt/lib is a file, not a directory',
    );
  });
});

describe('ld.so.cache file', () => {
  it('writes the header, entries, string table and padding glibc reads', () => {
    const bytes = writeLdSoCache([
      { path: '/usr/lib/libb.so.2', flags: X86 },
      { path: '/lib/liba.so.1', flags: ARM },
    ]);
    const strings = '/usr/lib/libb.so.2\0/lib/liba.so.1\0';
    expect(bytes.length).toBe(Math.floor((48 + 2 * 24 + strings.length) / 16) * 16 + 16);
    expect(bytes.subarray(48 + 48, 48 + 48 + strings.length).toString()).toBe(strings);
    expect(readLdSoCache(bytes)).toEqual({
      count: 2,
      stringsSize: strings.length,
      entries: [
        { flags: X86, key: 'libb.so.2', value: '/usr/lib/libb.so.2' },
        { flags: ARM, key: 'liba.so.1', value: '/lib/liba.so.1' },
      ],
    });
    // header bytes after the counts are zero: flags, extension offset, unused
    expect(bytes.subarray(28, 48).equals(Buffer.alloc(20))).toBe(true);
    // an empty cache is the header and 16 bytes of padding
    expect(writeLdSoCache([]).length).toBe(64);
    // a library directly under / keeps apko's key, one byte into the name
    expect(readLdSoCache(writeLdSoCache([{ path: '/libr.so', flags: X86 }])).entries[0]!.key).toBe('ibr.so');
  });

  it('is written for apko libroot with /lib first, root-owned 0644 at the assembly time', () => {
    const tree = rootOf(LIBROOT);
    expect(updateLdSoCache(tree, 1234)).toBe(true);
    const node = tree.get('etc/ld.so.cache')!;
    expect(node).toMatchObject({ type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1234 });
    const values = readLdSoCache(node.data!).entries.map((e) => e.value);
    expect(values.filter((v) => v === '/lib/libfoo.so.1')).toHaveLength(2);
    expect(values).toHaveLength(10);
    // the same tree gives the same bytes
    const again = rootOf(LIBROOT);
    updateLdSoCache(again, 1234);
    expect(again.get('etc/ld.so.cache')!.data!.equals(node.data!)).toBe(true);
  });

  it('does nothing without /etc/ld.so.conf (musl images)', () => {
    const tree = rootOf({ 'usr/lib/libfoo.so.1': so('libfoo.so.1') });
    expect(updateLdSoCache(tree, 1)).toBe(false);
    expect(tree.get('etc/ld.so.cache')).toBeUndefined();
  });

  it("overwrites a package's cache through links, keeping its owner and time", () => {
    const tree = rootOf({
      'etc/ld.so.conf': '/usr/lib\n',
      'etc/ld.so.cache': { link: '../var/cache/ld.so.cache' },
      'usr/lib/libfoo.so.1': so('libfoo.so.1'),
      'var/cache': { dir: true },
    });
    tree.set('var/cache/ld.so.cache', { ...synthFile('old', 0o600, 99), uid: 5, owner: 'glibc' });
    updateLdSoCache(tree, 1);
    expect(tree.get('etc/ld.so.cache')?.type).toBe('symlink');
    const cache = tree.get('var/cache/ld.so.cache')!;
    expect(cache).toMatchObject({ mode: 0o644, uid: 5, mtime: 99, owner: 'glibc' });
    expect(readLdSoCache(cache.data!).entries.map((e) => e.value)).toEqual(['/usr/lib/libfoo.so.1']);
  });

  it('refuses a cache path that is a directory', () => {
    const tree = rootOf({ 'etc/ld.so.conf': '/usr/lib\n', 'etc/ld.so.cache': { dir: true } });
    expect(thrown(() => updateLdSoCache(tree, 1), 'PACKAGE_INVALID').message).toBe(
      '/etc/ld.so.cache is a directory, not a regular file',
    );
  });
});
