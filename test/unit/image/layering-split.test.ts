import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type InstalledPackage, newPackageRecord, parseInstalledDb } from '../../../src/apk/index.js';
import { readTar, type TarEntry } from '../../../src/archive/index.js';
import { assembleRootfs } from '../../../src/image/assemble/index.js';
import { type RootNode, RootTree, synthDir, synthFile } from '../../../src/image/assemble/tree.js';
import type { ImageConfig } from '../../../src/image/index.js';
import { groupPackages, type PackageGroup } from '../../../src/image/layering/group-packages.js';
import { rootfsLayers } from '../../../src/image/layering/rootfs-layers.js';
import { splitLayers } from '../../../src/image/layering/split-layers.js';
import { shared } from '../../kit/paths.js';
import { thrown } from './helpers.js';

const owned = (node: RootNode, owner: string): RootNode => ({ ...node, owner });
const pkgDir = (owner: string, mtime: number) => owned(synthDir(0o755, mtime), owner);
const group = (...names: string[]): PackageGroup => ({
  packages: names.map((n) => newPackageRecord(n, '1-r0')),
  size: 0,
  tiebreaker: names.at(-1) ?? '',
});
const installed = (name: string): InstalledPackage => ({ record: newPackageRecord(name, '1-r0'), files: [] });
const listing = (layer: ReadonlyArray<readonly [string, RootNode]>) =>
  layer.map(([path, node]) => `${path}${node.type === 'directory' ? '/' : ''} ${node.mtime}`);

/** A tree with two packages sharing usr/bin, a synthesized file and the installed database. */
function sampleTree(): RootTree {
  const tree = new RootTree();
  tree.set('etc', synthDir(0o755, 0));
  tree.set('etc/world', synthFile('x\n', 0o644, 0));
  tree.set('usr', pkgDir('alpha', 100));
  tree.set('usr/bin', pkgDir('beta', 200));
  tree.set('usr/bin/a', owned(synthFile('a', 0o755, 11), 'alpha'));
  tree.set('usr/bin/b', owned(synthFile('b', 0o755, 22), 'beta'));
  tree.set('usr/bin/b2', {
    ...owned(synthFile('b', 0o755, 23), 'gamma'),
    type: 'hardlink',
    linkname: 'usr/bin/b',
  });
  tree.set('usr/bin/sub', pkgDir('alpha', 300));
  tree.set('usr/bin/sub/x', owned(synthFile('x', 0o644, 33), 'alpha'));
  tree.set('usr/bin/z', owned(synthFile('z', 0o755, 44), 'beta'));
  tree.set('usr/lib/apk/db', synthDir(0o755, 0));
  tree.mkdirAll('usr/lib/apk/db', () => synthDir(0o755, 0));
  tree.set('usr/lib/apk/db/installed', synthFile('ALL\n', 0o644, 5));
  tree.set('usr/lib/apk/db/lock', synthFile('', 0o600, 5));
  return tree;
}

describe('splitLayers', () => {
  it('puts package files in their layer with the directories they need, the rest on top', () => {
    const tree = sampleTree();
    const layers = splitLayers(
      tree,
      [group('alpha'), group('beta')],
      [installed('alpha'), installed('beta')],
    );
    expect(layers.map(listing)).toEqual([
      [
        'usr/ 11',
        'usr/bin/ 11',
        'usr/bin/a 11',
        'usr/bin/sub/ 33',
        'usr/bin/sub/x 33',
        'usr/lib/ 5',
        'usr/lib/apk/ 5',
        'usr/lib/apk/db/ 5',
        'usr/lib/apk/db/installed 5',
      ],
      [
        'usr/ 22',
        'usr/bin/ 22',
        'usr/bin/b 22',
        'usr/bin/b2 23',
        // apko's directory stack: the sibling subdirectory walked before z comes along.
        'usr/bin/sub/ 44',
        'usr/bin/z 44',
        'usr/lib/ 5',
        'usr/lib/apk/ 5',
        'usr/lib/apk/db/ 5',
        'usr/lib/apk/db/installed 5',
      ],
      [
        'etc/ 0',
        'etc/world 0',
        'usr/ 100',
        'usr/bin/ 200',
        'usr/bin/sub/ 300',
        'usr/lib/ 0',
        'usr/lib/apk/ 0',
        'usr/lib/apk/db/ 0',
        'usr/lib/apk/db/installed 5',
        'usr/lib/apk/db/lock 5',
      ],
    ]);
  });

  it('gives each package layer its own installed records and the top layer the whole database', () => {
    const tree = sampleTree();
    const layers = splitLayers(
      tree,
      [group('alpha'), group('beta')],
      [installed('beta'), installed('alpha')],
    );
    const db = (i: number) =>
      layers[i]!.find(([path]) => path === 'usr/lib/apk/db/installed')![1].data!.toString('utf8');
    expect(parseInstalledDb(db(0)).map((p) => p.record.name)).toEqual(['alpha']);
    expect(parseInstalledDb(db(1)).map((p) => p.record.name)).toEqual(['beta']);
    expect(db(2)).toBe('ALL\n');
  });

  it('keeps a hard link with the file it names, whoever made it', () => {
    const tree = sampleTree();
    tree.set('etc/copy', { ...synthFile('a', 0o755, 1), type: 'hardlink', linkname: 'usr/bin/a' });
    tree.set('etc/top', synthFile('t', 0o644, 1));
    tree.set('usr/bin/c', {
      ...owned(synthFile('t', 0o644, 1), 'alpha'),
      type: 'hardlink',
      linkname: 'etc/top',
    });
    const layers = splitLayers(tree, [group('alpha', 'gamma'), group('beta')], []);
    const where = (path: string) => layers.findIndex((l) => l.some(([p]) => p === path));
    expect(where('etc/copy')).toBe(where('usr/bin/a'));
    expect(where('usr/bin/b2')).toBe(where('usr/bin/b'));
    expect(where('usr/bin/c')).toBe(2);
    expect(layers[0]!.map(([p]) => p)).toContain('etc');
  });

  it('with no groups writes the single layer', () => {
    const tree = sampleTree();
    tree.delete('usr/bin/b2');
    for (const p of tree.paths()) {
      const { owner: _, ...node } = tree.get(p)!;
      tree.set(p, node);
    }
    const [only, ...rest] = splitLayers(tree, [], []);
    expect(rest).toEqual([]);
    expect(only!.map(([p]) => p)).toEqual(tree.walk());
  });

  it('an owner in no group is an error naming the path', () => {
    const err = thrown(() => splitLayers(sampleTree(), [group('alpha')], []), 'USAGE');
    expect(err.message).toContain('usr/bin/b');
  });
});

const REPO = shared('repo', 'melange-test', 'x86_64');
const CONFIG: ImageConfig = {
  contents: {
    repositories: [],
    buildRepositories: [],
    runtimeRepositories: [],
    keyring: [],
    runtimeKeyring: [],
    packages: [],
  },
  accounts: { users: [{ username: 'app', uid: 1000 }], groups: [] },
  archs: ['x86_64'],
  paths: [
    { path: '/etc/os-release-copy', type: 'hardlink', source: '/etc/os-release' },
    { path: '/data', type: 'directory', permissions: 0o750 },
  ],
  volumes: [],
};

async function assembled() {
  const names = ['pretend-baselayout', 'replayout', 'custom-ca-certs-1', 'custom-ca-certs-2'];
  return assembleRootfs({
    arch: 'x86_64',
    packages: names.map((n) => ({ path: `${REPO}/${n}-1.0.0-r0.apk` })),
    config: CONFIG,
    sourceDateEpoch: 1_700_000_000,
    runtimeRepositories: [],
    keys: [{ name: 'melange.rsa.pub', pem: await readFile(shared('keys', 'melange', 'melange.rsa.pub')) }],
  });
}

async function tarOf(tar: AsyncIterable<Buffer>): Promise<TarEntry[]> {
  const chunks: Buffer[] = [];
  for await (const c of tar) chunks.push(c);
  return readTar(Buffer.concat(chunks));
}

/** What a runtime gets by extracting the layers in order: path → header and content. */
function overlay(layers: readonly TarEntry[][]): Map<string, string> {
  const fs = new Map<string, string>();
  for (const layer of layers)
    for (const e of layer)
      fs.set(
        e.header.name,
        JSON.stringify({ ...e.header, pax: [...e.header.pax], data: e.data.toString('hex') }),
      );
  return fs;
}

describe('rootfsLayers on real packages', () => {
  it.each([1, 2, 3, 4, 10])(
    'budget %i: at most budget+1 layers whose overlay is the single layer',
    async (budget) => {
      const rootfs = await assembled();
      const single = await tarOf((await assembled()).tar);
      const tars = rootfsLayers(rootfs, { strategy: 'origin', budget });
      // Four origins: replayout replaces pretend-baselayout, so three groups.
      expect(tars).toHaveLength(Math.min(budget, 3) + 1);
      const layers: TarEntry[][] = [];
      for (const tar of tars) layers.push(await tarOf(tar));
      expect([...overlay(layers)].sort()).toEqual([...overlay([single])].sort());
      // Every file of the single layer is in exactly one layer (the installed database aside).
      for (const e of single.filter(
        (x) => x.header.type !== 'directory' && !x.header.name.endsWith('/installed'),
      ))
        expect(
          layers.filter((l) => l.some((x) => x.header.name === e.header.name)),
          e.header.name,
        ).toHaveLength(1);
    },
  );

  it('groups replaces together, keeps the hard link with its target, synthesized files on top', async () => {
    const rootfs = await assembled();
    const groups = groupPackages(
      rootfs.installed.map((p) => p.record),
      3,
    );
    expect(groups.map((g) => g.packages.map((p) => p.name))).toContainEqual([
      'pretend-baselayout',
      'replayout',
    ]);
    const layers: TarEntry[][] = [];
    for (const tar of rootfsLayers(rootfs, { strategy: 'origin', budget: 3 })) layers.push(await tarOf(tar));
    const where = (name: string) => layers.findIndex((l) => l.some((e) => e.header.name === name));
    expect(where('etc/os-release-copy')).toBe(where('etc/os-release'));
    expect(where('etc/os-release')).toBeLessThan(3);
    for (const name of ['etc/apk/world', 'etc/passwd', 'dev/null', 'lib/apk', 'data'])
      expect(where(name), name).toBe(3);
    expect(layers.slice(0, 3).every((l) => l.some((e) => e.header.name === 'usr/lib/apk/db/installed'))).toBe(
      true,
    );
  });

  it('is deterministic, and an empty layering is one layer', async () => {
    const a = rootfsLayers(await assembled(), { strategy: 'origin', budget: 2 });
    const b = rootfsLayers(await assembled(), { strategy: 'origin', budget: 2 });
    for (const [i, tar] of a.entries()) expect(await tarOf(tar)).toEqual(await tarOf(b[i]!));
    expect(rootfsLayers(await assembled(), {})).toHaveLength(1);
    expect(rootfsLayers(await assembled(), undefined)).toHaveLength(1);
  });

  it('refuses an unknown strategy or a budget below 1, naming the field', async () => {
    const rootfs = await assembled();
    expect(
      thrown(() => rootfsLayers(rootfs, { strategy: 'size', budget: 2 }), 'CONFIG_INVALID').message,
    ).toMatch(/^layering\.strategy: .*"size"/);
    expect(
      thrown(() => rootfsLayers(rootfs, { strategy: 'origin', budget: -1 }), 'CONFIG_INVALID').message,
    ).toMatch(/^layering\.budget: /);
    expect(thrown(() => rootfsLayers(rootfs, { budget: 3 }), 'CONFIG_INVALID').message).toMatch(
      /layering\.strategy/,
    );
  });
});
