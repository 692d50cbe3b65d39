import { describe, expect, it } from 'vitest';
import { normalizePath, type VfsOp, VirtualFs } from '../../../../src/vuln/catalog/scan/index.js';

const file = (path: string): VfsOp => ({ kind: 'add', path, node: { type: 'file', mode: 0o644, size: 1 } });
const dir = (path: string): VfsOp => ({
  kind: 'add',
  path,
  node: { type: 'directory', mode: 0o755, size: 0 },
});
const link = (path: string, target: string): VfsOp => ({
  kind: 'add',
  path,
  node: { type: 'symlink', mode: 0o777, size: 0, linkTarget: target },
});
const paths = (fs: VirtualFs) => [...fs.paths()].sort();

describe('VirtualFs', () => {
  it('whiteouts remove lower layers only, subtree included; an opaque marker empties a directory of lower entries', () => {
    const fs = new VirtualFs();
    fs.apply([dir('a'), file('a/x'), file('a/y'), dir('b'), file('b/1'), dir('b/c'), file('b/c/2')], 0);
    fs.apply(
      [
        file('a/new'),
        { kind: 'opaque', path: 'a' },
        { kind: 'whiteout', path: 'b' },
        { kind: 'whiteout', path: 'zzz' },
      ],
      1,
    );
    expect(paths(fs)).toEqual(['a', 'a/new']);
    expect(fs.get('a/new')?.layer).toBe(1);
    // The same layer's whiteout does not hide that layer's own file.
    fs.apply([file('q'), { kind: 'whiteout', path: 'q' }], 2);
    expect(fs.get('q')?.layer).toBe(2);
  });

  it('a file replacing a directory hides what was under it', () => {
    const fs = new VirtualFs();
    fs.apply([dir('d'), file('d/x')], 0);
    fs.apply([file('d')], 1);
    expect(paths(fs)).toEqual(['d']);
  });

  it('resolves symlinks in every component, relative and absolute, and stops at loops', () => {
    const fs = new VirtualFs();
    fs.apply(
      [
        dir('usr'),
        dir('usr/lib'),
        link('lib', 'usr/lib'),
        link('usr/lib/os-release', '../../etc/os-release'),
      ],
      0,
    );
    fs.apply([link('etc', '/usr/etc'), link('loop1', 'loop2'), link('loop2', './loop1')], 1);
    expect(fs.resolve('lib/apk/db/installed')).toBe('usr/lib/apk/db/installed');
    expect(fs.resolve('lib/os-release')).toBe('usr/etc/os-release');
    expect(fs.resolve('/../..//lib/./x')).toBe('usr/lib/x');
    expect(fs.resolve('loop1/x')).toBeUndefined();
  });

  it('normalizePath', () => {
    expect(normalizePath('./usr//bin/')).toBe('usr/bin');
    expect(normalizePath('/')).toBe('');
    expect(normalizePath('a/../../etc')).toBeUndefined();
  });
});
