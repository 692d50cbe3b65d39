import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseInstalledDb } from '../../../src/apk/index.js';
import { readTar, type TarEntry } from '../../../src/archive/index.js';
import { type AssembleOptions, assembleRootfs } from '../../../src/image/assemble/index.js';
import type { ImageConfig } from '../../../src/image/index.js';
import { shared } from '../../kit/paths.js';

const REPO = shared('repo', 'melange-test', 'x86_64');
const apk = (name: string) => `${REPO}/${name}-1.0.0-r0.apk`;

const CONFIG: ImageConfig = {
  contents: {
    repositories: ['./testdata/packages'],
    buildRepositories: ['https://build.example/only'],
    runtimeRepositories: [],
    keyring: ['./testdata/melange.rsa.pub'],
    runtimeKeyring: [],
    packages: ['replayout'],
  },
  accounts: {
    users: [{ username: 'app', uid: 1000 }],
    groups: [{ groupname: 'app', gid: 1000, members: ['app'] }],
  },
  archs: ['x86_64'],
  paths: [
    { path: '/data', type: 'directory', uid: 1000, gid: 1000, permissions: 0o750 },
    { path: '/data/empty', type: 'empty-file', permissions: 0o600 },
    { path: '/etc/release', type: 'symlink', source: 'os-release' },
    { path: '/etc/os-release-copy', type: 'hardlink', source: '/etc/os-release' },
    { path: '/tmp', type: 'permissions', permissions: 0o1777, uid: 0, gid: 0 },
  ],
  volumes: [],
};

async function options(over: Partial<AssembleOptions> = {}): Promise<AssembleOptions> {
  return {
    arch: 'x86_64',
    packages: [{ path: apk('pretend-baselayout') }, { path: apk('replayout') }],
    config: CONFIG,
    runtimeRepositories: ['./testdata/packages', './testdata/packages', '@local /srv/repo'],
    keys: [{ name: 'melange.rsa.pub', pem: await readFile(shared('keys', 'melange', 'melange.rsa.pub')) }],
    ...over,
  };
}

async function bytesOf(tar: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tar) chunks.push(c);
  return Buffer.concat(chunks);
}

async function build(over: Partial<AssembleOptions> = {}) {
  const result = await assembleRootfs(await options(over));
  const bytes = await bytesOf(result.tar);
  const entries = readTar(bytes);
  const byName = new Map(entries.map((e) => [e.header.name, e]));
  const text = (name: string) => byName.get(name)?.data.toString('utf8');
  return { result, bytes, entries, byName, text };
}

const line = (e: TarEntry) =>
  `${e.header.type} ${e.header.mode.toString(8)} ${e.header.uid}:${e.header.gid} ${e.header.name}${e.header.linkname ? ` -> ${e.header.linkname}` : ''}`;

describe('assembleRootfs on the melange-test packages', () => {
  it("lays out apko's tree: InitDB, apk database, accounts, paths, devices, package files", async () => {
    const { entries } = await build();
    expect(entries.map(line)).toEqual([
      'directory 750 1000:1000 data',
      'file 600 0:0 data/empty',
      'directory 755 0:0 dev',
      'chardev 620 0:0 dev/console',
      'chardev 666 0:0 dev/null',
      'chardev 666 0:0 dev/random',
      'chardev 666 0:0 dev/urandom',
      'chardev 666 0:0 dev/zero',
      'directory 755 0:0 etc',
      'directory 755 0:0 etc/apk',
      'file 644 0:0 etc/apk/arch',
      'directory 755 0:0 etc/apk/keys',
      'file 644 0:0 etc/apk/keys/melange.rsa.pub',
      'file 644 0:0 etc/apk/repositories',
      'file 644 0:0 etc/apk/world',
      'file 444 0:0 etc/apko.json',
      'file 644 0:0 etc/group',
      'file 644 501:20 etc/os-release',
      'hardlink 644 501:20 etc/os-release-copy -> etc/os-release',
      'file 644 0:0 etc/passwd',
      'symlink 777 0:0 etc/release -> os-release',
      'file 640 0:0 etc/shadow',
      'directory 755 0:0 home',
      'directory 700 1000:1000 home/app',
      'directory 755 0:0 lib',
      'symlink 777 0:0 lib/apk -> ../usr/lib/apk',
      'directory 755 0:0 opt',
      'directory 555 0:0 proc',
      'directory 1777 0:0 tmp',
      'directory 755 0:0 usr',
      'directory 755 0:0 usr/lib',
      'directory 755 0:0 usr/lib/apk',
      'directory 755 0:0 usr/lib/apk/db',
      'file 644 0:0 usr/lib/apk/db/installed',
      'file 600 0:0 usr/lib/apk/db/lock',
      'file 644 0:0 usr/lib/apk/db/scripts.tar',
      'file 644 0:0 usr/lib/apk/db/triggers',
      'directory 755 0:0 usr/lib/apk/exec',
      'directory 755 0:0 var',
      'directory 755 0:0 var/cache',
      'directory 755 0:0 var/cache/apk',
      'directory 755 0:0 var/cache/misc',
      'directory 755 0:0 var/lib',
      'directory 755 0:0 var/lib/db',
      'directory 755 0:0 var/lib/db/sbom',
      'file 644 0:0 var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json',
      'file 644 0:0 var/lib/db/sbom/replayout-1.0.0-r0.spdx.json',
    ]);
    const dev = entries.find((e) => e.header.name === 'dev/console')!.header;
    expect([dev.devmajor, dev.devminor]).toEqual([5, 1]);
  });

  it('writes world, repositories, arch, keys and accounts as apko does', async () => {
    const { text, byName } = await build();
    // apko leaves the locked list: every installed package pinned.
    expect(text('etc/apk/world')).toBe('pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0\n');
    expect(text('etc/apk/repositories')).toBe('./testdata/packages\n@local /srv/repo\n');
    expect(text('etc/apk/arch')).toBe('x86_64\n');
    expect(text('etc/apk/keys/melange.rsa.pub')).toBe(
      await readFile(shared('keys', 'melange', 'melange.rsa.pub'), 'utf8'),
    );
    expect(text('etc/passwd')).toBe('app:x:1000:1000:Account created by apko:/home/app:/bin/sh\n');
    expect(text('etc/group')).toBe('app:x:1000:app\n');
    expect(text('etc/shadow')).toBe('app:!:::::::\n');
    expect(text('etc/shadow')?.split('\n')[0]?.split(':')).toHaveLength(9);
    expect(byName.get('home/app')?.header).toMatchObject({ uname: 'app', gname: 'app' });
    // replayout replaces pretend-baselayout's os-release; the package's own owner names stay.
    expect(text('etc/os-release')).toContain('ID=replaces');
    expect(byName.get('etc/os-release')?.header).toMatchObject({ uid: 501, gid: 20, gname: 'dialout' });
    expect(text('usr/lib/apk/db/scripts.tar')).toBe('\0'.repeat(1024));
    expect(text('usr/lib/apk/db/triggers')).toBe('');
  });

  it('writes an installed database apk-tools reads back, with the replaced file moved', async () => {
    const { text, result } = await build();
    const db = text('usr/lib/apk/db/installed') ?? '';
    const parsed = parseInstalledDb(db);
    expect(parsed.map((p) => `${p.record.name} ${p.record.version} ${p.record.checksum}`)).toEqual([
      'pretend-baselayout 1.0.0-r0 Q1m6wB0UFePGN8Drz82pC8y2uAiu8=',
      'replayout 1.0.0-r0 Q11/HhSewwwOXgl0r0ffb0O0BRtYc=',
    ]);
    const [base, rep] = parsed;
    expect(base?.files.find((d) => d.path === 'etc')?.files).toEqual([]);
    expect(rep?.files.find((d) => d.path === 'etc')?.files).toEqual([
      { name: 'os-release', acl: { uid: 501, gid: 20, mode: 0o644 }, checksum: expect.stringMatching(/^Q1/) },
    ]);
    expect(rep?.record.replaces).toEqual(['pretend-baselayout']);
    expect(
      db
        .split('\n\n')[1]
        ?.split('\n')
        .slice(0, 17)
        .map((l) => l[0]),
    ).toEqual([...'PVALTomUDprctSIkC']);
    expect(db).toContain('\nt:0\nS:2961\nI:3389\nk:0\nC:Q11/HhSewwwOXgl0r0ffb0O0BRtYc=\nF:etc\n');
    expect(result.installed).toEqual(
      parsed.map((p) => ({ ...p, record: expect.objectContaining({ name: p.record.name }) })),
    );
    expect(result.osRelease).toEqual({ id: 'replaces', versionId: '1.0.0', prettyName: 'Replaces' });
    expect(result.created).toBe(0);
  });

  it('is deterministic, and SOURCE_DATE_EPOCH changes only time fields', async () => {
    const a = await build({ sourceDateEpoch: 1_234_567 });
    const b = await build({ sourceDateEpoch: 1_234_567 });
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const c = await build({ sourceDateEpoch: 7_654_321 });
    expect(c.result.created).toBe(7_654_321);
    const strip = (e: TarEntry) => ({
      ...e.header,
      mtime: 0,
      pax: [...e.header.pax],
      data: e.data.toString('hex'),
    });
    // scripts.tar is empty here, so no nested times differ either.
    expect(c.entries.map(strip)).toEqual(a.entries.map(strip));
    expect(c.byName.get('etc/passwd')?.header.mtime).toBe(7_654_321);
    expect(c.byName.get('etc/os-release')?.header.mtime).toBe(0); // package files keep theirs
  });

  it('uses lib -> usr/lib when an installed package provides merged-lib', async () => {
    // custom-ca-certs-1 provides custom-ca-certificates only: the lib directory layout stays.
    const { byName } = await build({
      packages: [{ path: apk('custom-ca-certs-1') }],
      config: { ...CONFIG, paths: [] },
    });
    expect(byName.get('lib/apk')?.header.linkname).toBe('../usr/lib/apk');
    expect(byName.get('usr/local/share/ca-certificates/cert-a.crt')?.header).toMatchObject({
      uid: 501,
      gid: 20,
    });
  });

  it('refuses a path mutation that escapes the root or has an unknown type', async () => {
    const bad = (paths: ImageConfig['paths']) => build({ config: { ...CONFIG, paths } });
    await expect(bad([{ path: '/../x', type: 'directory', permissions: 0o755 }])).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(bad([{ path: '/x', type: 'fifo' }])).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(bad([{ path: '/nope', type: 'permissions', permissions: 0o700 }])).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
