import { describe, expect, it } from 'vitest';
import type { InstalledPackage } from '../../../src/apk/index.js';
import { installBusyboxLinks } from '../../../src/image/assemble/busybox.js';
import { BUSYBOX_APPLETS, BUSYBOX_DEFAULT_VERSION } from '../../../src/image/assemble/busybox-applets.js';
import { type RootNode, RootTree, synthDir, synthFile } from '../../../src/image/assemble/tree.js';
import { thrown } from './helpers.js';

const BUSYBOX_MTIME = 1700000000;
const MTIME = 42;

function pkg(name: string, version: string, provides: string[] = []): InstalledPackage {
  return {
    record: { name, version, depends: [], provides, installIf: [], replaces: [], extra: [] },
    files: [],
  };
}

/** A tree with `/bin/busybox` (package mtime) and the given extra nodes. */
function treeWith(extra: Record<string, RootNode> = {}): RootTree {
  const tree = new RootTree();
  for (const dir of ['bin', 'etc', 'usr', 'usr/bin', 'sbin', 'usr/sbin']) tree.set(dir, synthDir(0o755, 1));
  tree.set('bin/busybox', synthFile('ELF', 0o755, BUSYBOX_MTIME));
  for (const [path, node] of Object.entries(extra)) tree.set(path, node);
  return tree;
}

const manifest = (lines: string) => ({
  'etc/busybox-paths.d': synthDir(0o755, 1),
  'etc/busybox-paths.d/busybox': synthFile(lines, 0o644, 1),
});

const symlink = (target: string, mtime = 1): RootNode => ({
  ...synthDir(0o777, mtime),
  type: 'symlink',
  linkname: target,
});

function linksOf(tree: RootTree): string[] {
  return [...tree.paths()].filter((p) => tree.get(p)?.linkname === '/bin/busybox').sort();
}

describe('busybox applet links', () => {
  it('does nothing without /bin/busybox, even with a busybox package', () => {
    const tree = new RootTree();
    tree.set('bin', synthDir(0o755, 1));
    installBusyboxLinks(tree, [pkg('busybox', '1.36.1-r0')], MTIME);
    expect([...tree.paths()]).toEqual(['bin']);
  });

  it('creates the links of /etc/busybox-paths.d/<package> as root-owned 0777 symlinks with busybox mtime', () => {
    const tree = treeWith(
      manifest('/bin/busybox\n/bin/ls\n/usr/bin/wget\n\n/bin/ls\n/usr/local/bin/odd\nbare\n'),
    );
    installBusyboxLinks(tree, [pkg('busybox', '1.37.0-r47')], MTIME);
    expect(linksOf(tree)).toEqual(['bin/ls', 'usr/bin/wget', 'usr/local/bin/odd']);
    expect(tree.get('bin/ls')).toMatchObject({
      type: 'symlink',
      mode: 0o777,
      uid: 0,
      gid: 0,
      mtime: BUSYBOX_MTIME,
    });
    // the link's directory takes busybox's mtime (apko Chtimes); a directory made above it is 0755
    expect(tree.get('usr/bin')?.mtime).toBe(BUSYBOX_MTIME);
    expect(tree.get('usr/local')).toMatchObject({ type: 'directory', mode: 0o755, mtime: MTIME });
    expect(tree.get('usr/local/bin')).toMatchObject({ type: 'directory', mode: 0o755, mtime: BUSYBOX_MTIME });
    expect(tree.get('bare')).toBeUndefined();
    expect(tree.get('bin/busybox')?.type).toBe('file');
  });

  it('uses the table of the installed release when there is no manifest, and the newest for an unknown one', () => {
    const known = treeWith();
    installBusyboxLinks(known, [pkg('busybox', '1.34.1-r5')], MTIME);
    const table = (v: string) =>
      Object.entries(BUSYBOX_APPLETS[v]!)
        .flatMap(([d, names]) => names.split(' ').map((n) => `${d}/${n}`.slice(1)))
        .filter((p) => p !== 'bin/busybox')
        .sort();
    expect(linksOf(known)).toEqual(table('1.34.1'));
    expect(linksOf(known)).toContain('bin/ls');
    const unknown = treeWith();
    installBusyboxLinks(unknown, [pkg('busybox', 'v1.99.0')], MTIME);
    expect(linksOf(unknown)).toEqual(table(BUSYBOX_DEFAULT_VERSION));
    // apko's table lost /bin/bash for 1.34.0 only
    expect(table('1.34.0')).not.toContain('bin/bash');
    expect(table('1.34.1')).toContain('bin/bash');
  });

  it('never overwrites a file or symlink already there', () => {
    const tree = treeWith({
      ...manifest('/bin/ls\n/bin/sh\n/usr/bin/env\n'),
      'bin/ls': synthFile('coreutils ls', 0o755, 5),
      'bin/sh': symlink('/usr/bin/bash', 6),
      'usr/bin/env': { ...synthFile('', 0o755, 7), type: 'hardlink', linkname: 'bin/ls' },
    });
    installBusyboxLinks(tree, [pkg('busybox', '1.36.1-r0')], MTIME);
    expect(tree.get('bin/ls')).toMatchObject({ type: 'file', mtime: 5 });
    expect(tree.get('bin/sh')).toMatchObject({ type: 'symlink', linkname: '/usr/bin/bash' });
    expect(tree.get('usr/bin/env')?.type).toBe('hardlink');
  });

  it('writes through symlinked directories (usrmerge) and finds busybox through them', () => {
    const tree = new RootTree();
    tree.set('usr', synthDir(0o755, 1));
    tree.set('usr/bin', synthDir(0o755, 1));
    tree.set('bin', symlink('usr/bin'));
    tree.set('usr/bin/busybox', synthFile('ELF', 0o755, BUSYBOX_MTIME));
    tree.set('etc', synthDir(0o755, 1));
    tree.set('etc/busybox-paths.d', synthDir(0o755, 1));
    tree.set('etc/busybox-paths.d/busybox', synthFile('/bin/ls\n/usr/bin/ls\n', 0o644, 1));
    installBusyboxLinks(tree, [pkg('busybox', '1.36.1-r0')], MTIME);
    expect(linksOf(tree)).toEqual(['usr/bin/ls']);
    expect(tree.get('bin')?.type).toBe('symlink');
    expect(tree.get('usr/bin')?.mtime).toBe(BUSYBOX_MTIME);
  });

  it('takes the manifest of a package that provides busybox, the last one when several do', () => {
    const tree = treeWith({
      'etc/busybox-paths.d': synthDir(0o755, 1),
      'etc/busybox-paths.d/toybox-compat': synthFile('/bin/ls\n', 0o644, 1),
      'etc/busybox-paths.d/busybox-full': synthFile('/bin/cat\n', 0o644, 1),
    });
    installBusyboxLinks(
      tree,
      [pkg('toybox-compat', '1.0-r0', ['cmd:busybox=1']), pkg('busybox-full', '1.36.1-r0', ['busybox'])],
      MTIME,
    );
    expect(linksOf(tree)).toEqual(['bin/cat']);
    // a package named busybox wins, wherever it is
    const named = treeWith(manifest('/bin/ls\n'));
    installBusyboxLinks(named, [pkg('busybox', '1.36.1-r0'), pkg('other', '1-r0', ['busybox'])], MTIME);
    expect(linksOf(named)).toEqual(['bin/ls']);
  });

  it('reports busybox without its package, an unreadable version, and a link path holding a directory', () => {
    expect(
      thrown(() => installBusyboxLinks(treeWith(), [pkg('zlib', '1.3-r0')], MTIME), 'PACKAGE_INVALID')
        .message,
    ).toMatch(/\/bin\/busybox exists but no installed package/);
    expect(
      thrown(
        () => installBusyboxLinks(treeWith(), [pkg('busybox', '1.36.1_git2023-r0')], MTIME),
        'PACKAGE_INVALID',
      ).message,
    ).toMatch(/busybox version "1.36.1_git2023-r0" is not X.Y.Z/);
    const dir = treeWith({ ...manifest('/bin/ls\n'), 'bin/ls': synthDir(0o755, 1) });
    expect(
      thrown(() => installBusyboxLinks(dir, [pkg('busybox', '1.36.1-r0')], MTIME), 'PACKAGE_INVALID').message,
    ).toMatch(/busybox link \/bin\/ls: \/bin\/ls already exists and is a directory/);
    const file = treeWith({ ...manifest('/bin/ls/x\n'), 'bin/ls': synthFile('', 0o755, 1) });
    expect(
      thrown(() => installBusyboxLinks(file, [pkg('busybox', '1.36.1-r0')], MTIME), 'PACKAGE_INVALID')
        .message,
    ).toMatch(/bin\/ls is not a directory/);
  });

  it('reports a symlink loop on the way to busybox', () => {
    const tree = new RootTree();
    tree.set('bin', symlink('bin'));
    thrown(() => installBusyboxLinks(tree, [pkg('busybox', '1.36.1-r0')], MTIME), 'TAR_UNSAFE_PATH');
  });
});
