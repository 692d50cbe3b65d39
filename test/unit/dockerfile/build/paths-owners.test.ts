import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchSources } from '../../../../src/dockerfile/build/copy-sources.js';
import { copyTree, makeParents } from '../../../../src/dockerfile/build/copy-tree.js';
import { componentPattern, escapesRoot, imagePath } from '../../../../src/dockerfile/build/scoped-path.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'larder-df-paths-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('imagePath and escapesRoot', () => {
  it('resolves an image path with symlinks inside the root', async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'usr', 'lib'), { recursive: true });
    await symlink('/usr/lib', join(root, 'lib'));
    expect(await imagePath(root, 'lib/x.so')).toBe(join(root, 'usr', 'lib', 'x.so'));
    expect(await imagePath(root, '/../../lib')).toBe(join(root, 'usr', 'lib'));
  });

  it('tells paths that climb out of their root', () => {
    expect(escapesRoot('../x')).toBe(true);
    expect(escapesRoot('a/../../x')).toBe(true);
    expect(escapesRoot('..')).toBe(true);
    expect(escapesRoot('a/../b')).toBe(false);
    expect(escapesRoot('/abs')).toBe(false);
    expect(escapesRoot('./x')).toBe(false);
  });
});

describe('componentPattern (Go filepath.Match)', () => {
  it.each([
    ['*.txt', 'a.txt', true],
    ['*.txt', 'a.md', false],
    ['?.txt', 'ab.txt', false],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['[!a-c]x', 'dx', true],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['file.go', 'file.go', true],
    ['file.go', 'fileXgo', false],
  ])('%s ~ %s = %s', (pattern, name, expected) => {
    expect(componentPattern(pattern).test(name)).toBe(expected);
  });
});

describe('matchSources', () => {
  it('expands globs per component, sorted, and skips ignored paths', async () => {
    const root = join(dir, 'ctx');
    await mkdir(join(root, 'cmd', 'a'), { recursive: true });
    await mkdir(join(root, 'cmd', 'b'), { recursive: true });
    await writeFile(join(root, 'cmd', 'a', 'main.go'), 'a');
    await writeFile(join(root, 'cmd', 'b', 'main.go'), 'b');
    await writeFile(join(root, 'x.txt'), '');
    await writeFile(join(root, 'y.txt'), '');
    const all = await matchSources(root, 'cmd/*/main.go', undefined);
    expect(all.map((m) => m.rel)).toEqual(['cmd/a/main.go', 'cmd/b/main.go']);
    const some = await matchSources(root, '*.txt', (rel) => rel !== 'y.txt');
    expect(some.map((m) => m.rel)).toEqual(['x.txt']);
    expect(await matchSources(root, 'missing', undefined)).toEqual([]);
    expect((await matchSources(root, '.', undefined))[0]).toMatchObject({ rel: '.', isDir: true });
  });
});

describe('copyTree and makeParents', () => {
  it('copies files, links and trees with modes, owners and filters', async () => {
    const src = join(dir, 'src');
    await mkdir(join(src, 'sub', 'skip'), { recursive: true });
    await writeFile(join(src, 'sub', 'a.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(src, 'sub', 'skip', 'b'), 'b');
    await symlink('a.sh', join(src, 'sub', 'link'));
    const root = join(dir, 'image');
    await mkdir(root);
    const target = await makeParents(root, '/opt/app', { uid: 1000, gid: 1000 });
    expect(target).toBe(join(root, 'opt', 'app'));
    expect((await lstat(join(root, 'opt'))).uid).toBe(1000);
    const n = await copyTree(join(src, 'sub'), target, 'sub', {
      include: (rel) => rel !== 'sub/skip',
      mode: 0o700,
    });
    expect(n).toBe(3);
    const a = await lstat(join(target, 'a.sh'));
    expect(a.mode & 0o7777).toBe(0o700);
    expect(a.uid).toBe(0);
    expect(await readlink(join(target, 'link'))).toBe('a.sh');
    await expect(lstat(join(target, 'skip'))).rejects.toThrow();
    // A file over an existing directory replaces it.
    await mkdir(join(root, 'opt', 'app', 'x'), { recursive: true });
    await copyTree(join(src, 'sub', 'a.sh'), join(root, 'opt', 'app', 'x'), 'a.sh', { keepOwner: true });
    expect(await readFile(join(root, 'opt', 'app', 'x'), 'utf8')).toBe('#!/bin/sh\n');
  });
});
