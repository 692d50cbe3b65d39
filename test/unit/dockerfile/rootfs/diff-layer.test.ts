import { chmod, chown, link, mkdir, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffToLayer, snapshotTree } from '../../../../src/dockerfile/rootfs/index.js';
import { layerEntries, layerNames, tempDir } from './helpers.js';

const T = new Date('2024-01-02T03:04:05Z');

async function base(): Promise<{ root: string; blobs: string }> {
  const dir = await tempDir();
  const root = join(dir, 'root');
  await mkdir(join(root, 'etc/conf.d'), { recursive: true });
  await mkdir(join(root, 'usr/share/doc/pkg'), { recursive: true });
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1 localhost\n');
  await writeFile(join(root, 'etc/conf.d/a'), 'aaaa');
  await writeFile(join(root, 'usr/share/doc/pkg/README'), 'read me');
  await writeFile(join(root, 'usr/share/doc/pkg/COPYING'), 'copying');
  await symlink('hosts', join(root, 'etc/link'));
  return { root, blobs: join(dir, 'blobs') };
}

async function diff(root: string, blobs: string, change: () => Promise<void>) {
  const before = await snapshotTree(root);
  await change();
  return diffToLayer(before, root, { blobsDir: blobs });
}

describe('diffToLayer', () => {
  it('gives no layer when nothing changed, or an empty tar when asked', async () => {
    const { root, blobs } = await base();
    const before = await snapshotTree(root);
    expect(await diffToLayer(before, root, { blobsDir: blobs })).toBeUndefined();
    const empty = await diffToLayer(before, root, { blobsDir: blobs, emptyLayer: true });
    expect(empty?.layer.uncompressedSize).toBe(1024);
    expect(await layerNames(empty!.layer.path)).toEqual([]);
  });

  it('records an added file with its parent directories', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, () => writeFile(join(root, 'etc/conf.d/new'), 'hello'));
    expect(d?.added).toEqual(['etc/conf.d/new']);
    expect(await layerNames(d!.layer.path)).toEqual(['etc/', 'etc/conf.d/', 'etc/conf.d/new']);
    const file = (await layerEntries(d!.layer.path)).at(-1)!;
    expect(file.data.toString()).toBe('hello');
  });

  it('sees content rewritten with the same size and a restored mtime (ctime)', async () => {
    const { root, blobs } = await base();
    const file = join(root, 'etc/conf.d/a');
    await utimes(file, T, T);
    const d = await diff(root, blobs, async () => {
      await writeFile(file, 'bbbb');
      await utimes(file, T, T);
    });
    expect(d?.modified).toContain('etc/conf.d/a');
    expect(
      (await layerEntries(d!.layer.path)).find((e) => e.header.name === 'etc/conf.d/a')?.data.toString(),
    ).toBe('bbbb');
  });

  it('sees chmod and chown', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await chmod(join(root, 'etc/hosts'), 0o600);
      await chown(join(root, 'etc/conf.d/a'), 1234, 5678);
    });
    expect(d?.modified).toEqual(['etc/conf.d/a', 'etc/hosts']);
    const entries = await layerEntries(d!.layer.path);
    expect(entries.find((e) => e.header.name === 'etc/hosts')?.header.mode).toBe(0o600);
    const a = entries.find((e) => e.header.name === 'etc/conf.d/a')!.header;
    expect([a.uid, a.gid, a.uname, a.gname]).toEqual([1234, 5678, '', '']);
  });

  it('writes one whiteout for a deleted file and one for a deleted tree', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await rm(join(root, 'etc/hosts'));
      await rm(join(root, 'usr/share/doc'), { recursive: true });
    });
    expect(d?.deleted).toEqual([
      'etc/hosts',
      'usr/share/doc',
      'usr/share/doc/pkg',
      'usr/share/doc/pkg/COPYING',
      'usr/share/doc/pkg/README',
    ]);
    expect(await layerNames(d!.layer.path)).toEqual([
      'etc/',
      'etc/.wh.hosts',
      'usr/',
      'usr/share/',
      'usr/share/.wh.doc',
    ]);
    const wh = (await layerEntries(d!.layer.path)).find((e) => e.header.name === 'etc/.wh.hosts')!.header;
    expect([wh.type, wh.size, wh.mode, wh.mtime]).toEqual(['file', 0, 0, 0]);
  });

  it('writes a whiteout then the file for a directory replaced by a file', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await rm(join(root, 'etc/conf.d'), { recursive: true });
      await writeFile(join(root, 'etc/conf.d'), 'now a file');
    });
    expect(await layerNames(d!.layer.path)).toEqual(['etc/', 'etc/.wh.conf.d', 'etc/conf.d']);
    expect(d?.deleted).toEqual(['etc/conf.d/a']);
  });

  it('writes a file replaced by a directory without a whiteout', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await rm(join(root, 'etc/hosts'));
      await mkdir(join(root, 'etc/hosts'));
      await writeFile(join(root, 'etc/hosts/x'), 'x');
    });
    expect(await layerNames(d!.layer.path)).toEqual(['etc/', 'etc/hosts/', 'etc/hosts/x']);
  });

  it('marks a directory deleted and made again opaque, with all its new contents', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      // Moved away first so the new directory cannot get the old inode back.
      await rename(join(root, 'usr/share/doc'), join(root, 'old-doc'));
      await mkdir(join(root, 'usr/share/doc'));
      await writeFile(join(root, 'usr/share/doc/NEW'), 'new');
      await rm(join(root, 'old-doc'), { recursive: true });
    });
    expect(await layerNames(d!.layer.path)).toEqual([
      'usr/',
      'usr/share/',
      'usr/share/doc/',
      'usr/share/doc/.wh..wh..opq',
      'usr/share/doc/NEW',
    ]);
  });

  it('retargets a symlink', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await rm(join(root, 'etc/link'));
      await symlink('conf.d/a', join(root, 'etc/link'));
    });
    const entry = (await layerEntries(d!.layer.path)).find((e) => e.header.name === 'etc/link')!.header;
    expect([entry.type, entry.linkname]).toEqual(['symlink', 'conf.d/a']);
  });

  it('writes hardlinks within the layer as link entries', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await mkdir(join(root, 'bin'));
      await writeFile(join(root, 'bin/busybox'), 'binary');
      await link(join(root, 'bin/busybox'), join(root, 'bin/sh'));
      await link(join(root, 'bin/busybox'), join(root, 'bin/ash'));
    });
    const entries = await layerEntries(d!.layer.path);
    expect(entries.map((e) => [e.header.name, e.header.type, e.header.linkname])).toEqual([
      ['bin/', 'directory', ''],
      ['bin/ash', 'file', ''],
      ['bin/busybox', 'hardlink', 'bin/ash'],
      ['bin/sh', 'hardlink', 'bin/ash'],
    ]);
  });

  it('leaves out excluded paths and everything below them', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await mkdir(join(root, 'tmp/cache'), { recursive: true });
      await writeFile(join(root, 'tmp/cache/x'), 'x');
      await writeFile(join(root, 'kept'), 'k');
    });
    expect(d?.added).toContain('tmp/cache/x');
    const before = await snapshotTree(root);
    await writeFile(join(root, 'tmp/cache/y'), 'y');
    expect(await diffToLayer(before, root, { blobsDir: blobs, exclude: (p) => p === 'tmp' })).toBeUndefined();
  });

  it('leaves sockets out, as containerd does', async () => {
    const { root, blobs } = await base();
    const before = await snapshotTree(root);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'etc/agent.sock'), resolve));
    try {
      expect((await snapshotTree(root)).entries.get('etc/agent.sock')?.type).toBe('socket');
      const d = await diffToLayer(before, root, { blobsDir: blobs });
      // Only its directory's new mtime is left.
      expect([d?.added, d?.modified]).toEqual([[], ['etc']]);
      expect(await layerNames(d!.layer.path)).toEqual(['etc/']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('returns the tree after the change as the next step’s snapshot', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, () => writeFile(join(root, 'x'), 'x'));
    expect(d?.after.entries.has('x')).toBe(true);
    expect(await diffToLayer(d!.after, root, { blobsDir: blobs })).toBeUndefined();
  });

  it('writes the same bytes for the same trees, and clamps times to SOURCE_DATE_EPOCH', async () => {
    const digests: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { root, blobs } = await base();
      const before = await snapshotTree(root);
      await mkdir(join(root, 'opt/app'), { recursive: true });
      await writeFile(join(root, 'opt/app/run'), 'x'.repeat(3000), { mode: 0o755 });
      await writeFile(join(root, 'opt/old'), 'old');
      await utimes(join(root, 'opt/old'), new Date(1_000_000_000), new Date(1_000_000_000));
      await rm(join(root, 'etc/hosts'));
      const d = await diffToLayer(before, root, { blobsDir: blobs, sourceDateEpoch: 1_600_000_000 });
      digests.push(d!.layer.digest);
      const entries = await layerEntries(d!.layer.path);
      const times = Object.fromEntries(entries.map((e) => [e.header.name, e.header.mtime]));
      expect(times['opt/app/run']).toBe(1_600_000_000);
      expect(times['opt/old']).toBe(1_000_000);
      expect(times['etc/.wh.hosts']).toBe(0);
      // Runs of the test build their trees at different times: only the clamp makes them equal.
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(digests[0]).toBe(digests[1]);
  });

  it('stores large ids in PAX records only when needed', async () => {
    const { root, blobs } = await base();
    const d = await diff(root, blobs, async () => {
      await writeFile(join(root, 'big'), 'b');
      await chown(join(root, 'big'), 3_000_000, 3_000_000);
    });
    const entries = await layerEntries(d!.layer.path);
    const big = entries.find((e) => e.header.name === 'big')!.header;
    expect([big.uid, big.gid, big.pax.get('uid')?.toString()]).toEqual([3_000_000, 3_000_000, '3000000']);
    expect(entries.find((e) => e.header.name !== 'big')).toBeUndefined();
    expect((await stat(join(root, 'big'))).uid).toBe(3_000_000);
  });
});
