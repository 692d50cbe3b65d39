import { execFileSync } from 'node:child_process';
import {
  chown,
  link,
  lstat,
  mkdir,
  readFile,
  readlink,
  rename,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type TarWriteEntry, writeTar } from '../../../../src/archive/index.js';
import { isLarderError } from '../../../../src/core/index.js';
import {
  applyLayers,
  diffToLayer,
  snapshotTree,
  type TreeSnapshot,
} from '../../../../src/dockerfile/rootfs/index.js';
import { tempDir } from './helpers.js';

/** What must survive a diff and an apply: everything but times, inodes and devices. */
async function shape(root: string): Promise<Record<string, unknown>> {
  const snap: TreeSnapshot = await snapshotTree(root);
  const out: Record<string, unknown> = {};
  for (const [path, e] of snap.entries) {
    const data = e.type === 'file' ? (await readFile(join(root, path))).toString('base64') : undefined;
    out[path] = [e.type, e.mode, e.uid, e.gid, e.size, e.nlink, e.rdev, e.linkTarget, data];
  }
  return out;
}

async function layerOf(blobs: string, before: TreeSnapshot, root: string) {
  const d = await diffToLayer(before, root, { blobsDir: blobs });
  return { blobPath: d!.layer.path, mediaType: d!.layer.mediaType };
}

type E = Omit<TarWriteEntry, 'mtime'> & { mtime?: number; data?: string };

function tarLayer(entries: ReadonlyArray<E>): Buffer {
  return writeTar(
    entries.map(({ data, ...entry }) => ({
      entry: { mtime: 1_700_000_000, ...entry },
      ...(data !== undefined ? { data: Buffer.from(data) } : {}),
    })),
    { endBlocks: true },
  );
}

async function blob(dir: string, name: string, bytes: Buffer): Promise<{ blobPath: string }> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return { blobPath: path };
}

describe('applyLayers round trip', () => {
  it('rebuilds the source tree from its diffs (whiteouts, opaque, links, owners, devices)', async () => {
    const dir = await tempDir();
    const src = join(dir, 'src');
    const blobs = join(dir, 'blobs');
    await mkdir(src);
    const layers = [];
    let before = await snapshotTree(src);
    await mkdir(join(src, 'etc/conf.d'), { recursive: true });
    await mkdir(join(src, 'usr/lib/old'), { recursive: true });
    await writeFile(join(src, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    await writeFile(join(src, 'etc/conf.d/keep'), 'keep');
    await writeFile(join(src, 'etc/conf.d/gone'), 'gone');
    await writeFile(join(src, 'usr/lib/old/a'), 'a');
    await writeFile(join(src, 'usr/lib/setuid'), 's', { mode: 0o4755 });
    await writeFile(join(src, 'data'), 'x'.repeat(70_000));
    await chown(join(src, 'data'), 1000, 1000);
    await link(join(src, 'data'), join(src, 'data-link'));
    await symlink('/etc/passwd', join(src, 'pw'));
    execFileSync('mknod', [join(src, 'null'), 'c', '1', '3']);
    execFileSync('mknod', [join(src, 'fifo'), 'p']);
    layers.push(await layerOf(blobs, before, src));
    before = await snapshotTree(src);
    await rm(join(src, 'etc/conf.d/gone'));
    await rename(join(src, 'usr/lib/old'), join(src, 'old-moved'));
    await mkdir(join(src, 'usr/lib/old'));
    await writeFile(join(src, 'usr/lib/old/b'), 'b');
    await rm(join(src, 'old-moved'), { recursive: true });
    await rm(join(src, 'pw'));
    await symlink('etc/conf.d/keep', join(src, 'pw'));
    await rm(join(src, 'etc/conf.d/keep'));
    await mkdir(join(src, 'etc/conf.d/keep'));
    await writeFile(join(src, 'data'), 'y'.repeat(70_000));
    layers.push(await layerOf(blobs, before, src));
    const out = join(dir, 'out');
    await applyLayers(layers, out);
    expect(await shape(out)).toEqual(await shape(src));
    expect((await lstat(join(out, 'usr/lib/setuid'))).mode & 0o7777).toBe(0o4755);
    expect((await lstat(join(out, 'null'))).isCharacterDevice()).toBe(true);
  });

  it('applies onto an existing root, a whiteout hiding only lower layers', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await mkdir(join(root, 'd'), { recursive: true });
    await writeFile(join(root, 'd/lower'), 'l');
    await writeFile(join(root, 'gone'), 'g');
    const layer = await blob(
      dir,
      'l.tar',
      tarLayer([
        { name: 'd/', type: 'directory', mode: 0o750 },
        { name: 'd/mine', type: 'file', mode: 0o644, data: 'mine' },
        // Opaque after this layer's own entry: only the lower entry goes.
        { name: 'd/.wh..wh..opq', type: 'file', mode: 0 },
        { name: 'new', type: 'file', mode: 0o644, data: 'n' },
        { name: '.wh.new', type: 'file', mode: 0 },
        { name: '.wh.gone', type: 'file', mode: 0 },
        { name: '.wh.never-existed', type: 'file', mode: 0 },
      ]),
    );
    await applyLayers([layer], root);
    expect(Object.keys(await shape(root)).sort()).toEqual(['d', 'd/mine', 'new']);
    expect((await lstat(join(root, 'd'))).mode & 0o777).toBe(0o750);
  });

  it('skips aufs bookkeeping entries of old Docker layers', async () => {
    const dir = await tempDir();
    const layer = await blob(
      dir,
      'l.tar',
      tarLayer([
        { name: '.wh..wh.aufs', type: 'file', mode: 0o644 },
        { name: '.wh..wh.plnk/', type: 'directory', mode: 0o700 },
        { name: '.wh..wh.plnk/12.34', type: 'file', mode: 0o644, data: 'x' },
        { name: 'kept', type: 'file', mode: 0o644, data: 'k' },
      ]),
    );
    await applyLayers([layer], join(dir, 'root'));
    expect(Object.keys(await shape(join(dir, 'root')))).toEqual(['kept']);
  });

  it('replaces a directory with a file and a file with a directory, and makes missing parents', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await mkdir(join(root, 'a/deep'), { recursive: true });
    await writeFile(join(root, 'b'), 'b');
    const layer = await blob(
      dir,
      'l.tar',
      tarLayer([
        { name: 'a', type: 'file', mode: 0o644, data: 'file now' },
        { name: 'b/', type: 'directory', mode: 0o755 },
        { name: 'x/y/z', type: 'file', mode: 0o600, data: 'z' },
      ]),
    );
    await applyLayers([{ ...layer, mediaType: 'application/vnd.oci.image.layer.v1.tar' }], root);
    expect(await readFile(join(root, 'a'), 'utf8')).toBe('file now');
    expect((await lstat(join(root, 'b'))).isDirectory()).toBe(true);
    expect((await lstat(join(root, 'x/y'))).mode & 0o777).toBe(0o755);
  });
});

describe('applyLayers refuses broken and hostile layers', () => {
  const hostile: Array<[string, Array<E>, string]> = [
    ['a ".." path', [{ name: '../evil', type: 'file', mode: 0o644, data: 'x' }], 'TAR_UNSAFE_PATH'],
    ['an absolute path', [{ name: '/abs', type: 'file', mode: 0o644, data: 'x' }], 'TAR_UNSAFE_PATH'],
    [
      'a hardlink outside',
      [{ name: 'h', type: 'hardlink', mode: 0, linkname: '../outside/secret' }],
      'TAR_UNSAFE_PATH',
    ],
    [
      'an empty symlink target',
      [{ name: 's', type: 'symlink', mode: 0o777, linkname: '' }],
      'TAR_UNSAFE_PATH',
    ],
    [
      'a file through a symlink',
      [
        { name: 'lib', type: 'symlink', mode: 0o777, linkname: '/tmp' },
        { name: 'lib/evil', type: 'file', mode: 0o644, data: 'x' },
      ],
      'TAR_UNSAFE_PATH',
    ],
    [
      'a hardlink to nothing',
      [{ name: 'h', type: 'hardlink', mode: 0, linkname: 'missing' }],
      'TAR_UNSAFE_PATH',
    ],
    ['a bad whiteout', [{ name: 'd/.wh..', type: 'file', mode: 0 }], 'TAR_UNSAFE_PATH'],
    ['the root as a file', [{ name: './', type: 'file', mode: 0o644, data: 'x' }], 'TAR_UNSAFE_PATH'],
  ];
  for (const [what, entries, code] of hostile) {
    it(`refuses ${what}; a fresh root is not created`, async () => {
      const dir = await tempDir();
      await mkdir(join(dir, 'outside'));
      await writeFile(join(dir, 'outside/secret'), 'secret');
      const layer = await blob(dir, 'l.tar.gz', gzipSync(tarLayer(entries)));
      const root = join(dir, 'r/root');
      await mkdir(join(dir, 'r'));
      const err = await applyLayers([layer], root).catch((e: unknown) => e);
      expect(isLarderError(err) && err.code).toBe(code);
      expect((err as Error).message).toMatch(/layer 1 of 1 .*root was not created/);
      expect(await readdirSafe(join(dir, 'r'))).toEqual([]);
      expect(await readFile(join(dir, 'outside/secret'), 'utf8')).toBe('secret');
    });
  }

  it('stores a climbing symlink verbatim and never follows it', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'outside'));
    const layer = await blob(
      dir,
      'l.tar',
      tarLayer([
        { name: 'a/', type: 'directory', mode: 0o755 },
        { name: 'a/s', type: 'symlink', mode: 0o777, linkname: '../../outside' },
        { name: 'a/s', type: 'file', mode: 0o644, data: 'replaces the link, not its target' },
      ]),
    );
    await applyLayers([layer], join(dir, 'root'));
    expect(await readFile(join(dir, 'root/a/s'), 'utf8')).toBe('replaces the link, not its target');
    expect(await readdirSafe(join(dir, 'outside'))).toEqual([]);
    const link = await blob(
      dir,
      'l2.tar',
      tarLayer([{ name: 'up', type: 'symlink', mode: 0o777, linkname: '../../..' }]),
    );
    await applyLayers([link], join(dir, 'root'));
    expect(await readlink(join(dir, 'root/up'))).toBe('../../..');
  });

  it('never writes or deletes through a symlink of a lower layer', async () => {
    const dir = await tempDir();
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'x'), 'x');
    const root = join(dir, 'root');
    await mkdir(root);
    await symlink(outside, join(root, 'lib'));
    for (const entries of [
      [{ name: 'lib/x', type: 'file' as const, mode: 0o644, data: 'over' }],
      [{ name: 'lib/.wh.x', type: 'file' as const, mode: 0 }],
      [{ name: 'lib/.wh..wh..opq', type: 'file' as const, mode: 0 }],
    ]) {
      const layer = await blob(dir, 'l.tar', tarLayer(entries));
      const err = await applyLayers([layer], root).catch((e: unknown) => e);
      expect(isLarderError(err) && err.code).toBe('TAR_UNSAFE_PATH');
      expect((err as Error).message).toMatch(/partly updated/);
      expect(await readFile(join(outside, 'x'), 'utf8')).toBe('x');
    }
  });

  it('reports a truncated gzip layer and leaves no root', async () => {
    const dir = await tempDir();
    const gz = gzipSync(tarLayer([{ name: 'f', type: 'file', mode: 0o644, data: 'z'.repeat(100_000) }]));
    const layer = await blob(dir, 'l.gz', gz.subarray(0, gz.length >> 1));
    const err = await applyLayers([layer], join(dir, 'root')).catch((e: unknown) => e);
    expect(isLarderError(err) && err.code).toMatch(/^(GZIP|TAR)_TRUNCATED$/);
    expect(await readdirSafe(dir)).toEqual(['l.gz']);
  });

  it('reports garbage and a truncated tar', async () => {
    const dir = await tempDir();
    const tar = tarLayer([{ name: 'f', type: 'file', mode: 0o644, data: 'z'.repeat(3000) }]);
    for (const [bytes, code] of [
      [Buffer.alloc(1024, 0x41), 'TAR_BAD_HEADER'],
      [tar.subarray(0, 1500), 'TAR_TRUNCATED'],
    ] as const) {
      const err = await applyLayers([await blob(dir, 'l', bytes)], join(dir, 'root')).catch(
        (e: unknown) => e,
      );
      expect(isLarderError(err) && err.code).toBe(code);
    }
  });

  it('says clearly when a zstd layer cannot be read', async () => {
    const dir = await tempDir();
    const layer = await blob(dir, 'l.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3, 4, 5, 6]));
    const err = await applyLayers([layer], join(dir, 'root')).catch((e: unknown) => e);
    expect(isLarderError(err)).toBe(true);
    expect((err as Error).message).toMatch(/zstd/);
  });

  it('survives a seeded fuzz of a layer: a LarderError or a tree inside the root', async () => {
    const dir = await tempDir();
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'secret');
    const tar = tarLayer([
      { name: 'd/', type: 'directory', mode: 0o755 },
      { name: 'd/f', type: 'file', mode: 0o644, data: 'hello world' },
      { name: 'd/l', type: 'symlink', mode: 0o777, linkname: 'f' },
      { name: 'd/h', type: 'hardlink', mode: 0o644, linkname: 'd/f' },
      { name: 'd/.wh.x', type: 'file', mode: 0 },
    ]);
    let seed = 0x9e3779b9;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    let failures = 0;
    for (let i = 0; i < 150; i++) {
      const bytes = Buffer.from(tar);
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++)
        bytes[Math.floor(random() * 2048)] = Math.floor(random() * 256);
      const root = join(dir, `r${i}`);
      const err = await applyLayers([await blob(dir, 'fuzz', bytes)], root).catch((e: unknown) => e);
      if (err !== undefined) {
        failures++;
        expect(isLarderError(err), String(err)).toBe(true);
      }
      await rm(root, { recursive: true, force: true });
    }
    expect(failures).toBeGreaterThan(0);
    expect(await readdirSafe(outside)).toEqual(['secret']);
    expect(await readdirSafe(dir)).toEqual(['fuzz', 'outside']);
  });
});

async function readdirSafe(path: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  return (await readdir(path)).sort();
}
