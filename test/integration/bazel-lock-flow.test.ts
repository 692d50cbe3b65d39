import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostApkArch } from '../../src/apk/index.js';
import { busyboxRepository } from '../kit/busybox-repo.js';
import { larder, larderAsync } from '../kit/cli.js';
import { type FakeHttpServer, startFakeHttpServer } from '../kit/fake-http-server.js';
import { own, tempDir } from '../kit/paths.js';

// larder's half of the rules_apko flow (docs/bazel.md): `larder lock` writes the
// apko.lock.json that rules_apko's translate_lock reads; building from that lock reads no
// APKINDEX (only the locked package URLs and the keyring), and with --offline it builds from
// the download cache alone, with the server stopped, to the digest of a plain build. The
// signed busybox repository is served over HTTP by a node:http server that records every
// request path.
const ARCH = hostApkArch();
const KEY = own('keys', 'larder-test.rsa');
const ENV = { SOURCE_DATE_EPOCH: '1700000000' };
const INDEX = `/${ARCH}/APKINDEX.tar.gz`;
const PACKAGE = `/${ARCH}/busybox-1.35.0-r0.apk`;
const KEYRING = '/keys/larder-test.rsa.pub';

let dir: string;
let server: FakeHttpServer;
let plainDigest: string;
let stopped = false;

/** Async: the HTTP server answers from this process while the CLI runs. */
function run(args: string[], state: string) {
  return larderAsync([...args, '--state-dir', join(dir, state)], { cwd: dir, env: ENV });
}

function paths(): string[] {
  return server.requests.map((r) => r.path);
}

beforeAll(async () => {
  dir = await tempDir('larder-bazel-lock-');
  const repo = await busyboxRepository(dir, ARCH, KEY);
  await mkdir(join(repo, 'keys'));
  await copyFile(`${KEY}.pub`, join(repo, 'keys', 'larder-test.rsa.pub'));
  server = await startFakeHttpServer({ dir: repo });
  await mkdir(join(dir, 'images'));
  await writeFile(
    join(dir, 'images', 'app.yaml'),
    [
      'contents:',
      '  keyring:',
      `    - ${server.url}${KEYRING}`,
      '  repositories:',
      `    - ${server.url}`,
      '  packages:',
      '    - busybox',
      'entrypoint:',
      '  command: /bin/busybox echo locked',
      'archs:',
      `  - ${ARCH}`,
      '',
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  if (server !== undefined && !stopped) await server.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('the Bazel (rules_apko) flow: larder lock, then a locked offline build', () => {
  it('the lock names every URL rules_apko fetches; a locked build reads no APKINDEX and gives the plain digest', async () => {
    const plain = await run(['image', 'build', 'images/app.yaml', '-o', 'plain'], 'state-dev');
    expect(plain.status, plain.stderr).toBe(0);
    plainDigest = plain.stdout.trim();
    expect(plainDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(paths()).toContain(INDEX);

    const lock = await run(['lock', 'images/app.yaml', '-o', 'apko.lock.json'], 'state-dev');
    expect(lock.status, lock.stderr).toBe(0);
    expect(lock.stdout).toBe('apko.lock.json\n');
    const locked = JSON.parse(await readFile(join(dir, 'apko.lock.json'), 'utf8'));
    expect(locked.contents.keyring).toEqual([expect.objectContaining({ url: `${server.url}${KEYRING}` })]);
    expect(locked.contents.repositories).toEqual([
      expect.objectContaining({ url: `${server.url}${INDEX}`, architecture: ARCH }),
    ]);
    expect(locked.contents.packages).toHaveLength(1);
    const pkg = locked.contents.packages[0];
    expect(pkg).toMatchObject({ name: 'busybox', version: '1.35.0-r0', architecture: ARCH });
    expect(pkg.url).toBe(`${server.url}${PACKAGE}`);
    // translate_lock turns each member into an HTTP range request checked against its hash.
    for (const member of ['signature', 'control', 'data'])
      expect(pkg[member]).toEqual({
        range: expect.stringMatching(/^bytes=\d+-\d+$/),
        checksum: expect.stringMatching(member === 'data' ? /^sha256-/ : /^sha1-/),
      });

    // A fresh state dir (as in a Bazel sandbox): only the lock's URLs are asked for.
    server.requests.length = 0;
    const fresh = await run(
      ['image', 'build', 'images/app.yaml', '--lockfile', 'apko.lock.json', '-o', 'locked'],
      'state-bazel',
    );
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stdout.trim()).toBe(plainDigest);
    expect(paths().filter((p) => p.includes('APKINDEX'))).toEqual([]);
    expect([...new Set(paths())].sort()).toEqual([PACKAGE, KEYRING].sort());
    // The locked build's layout is the plain one, blob for blob.
    expect((await readdir(join(dir, 'locked', 'blobs', 'sha256'))).sort()).toEqual(
      (await readdir(join(dir, 'plain', 'blobs', 'sha256'))).sort(),
    );
  });

  it('a lock whose package no longer matches (republished under the same URL) is LOCK_STALE, exit 2, no output', async () => {
    const original = await readFile(join(dir, 'guest-repo', PACKAGE));
    const tree = join(dir, 'busybox-tree');
    await writeFile(join(tree, 'etc', 'rebuilt'), 'a rebuild with the same name and version\n');
    const rebuilt = join(dir, 'rebuilt.apk');
    const made = larder(
      ['apk', 'create', '--name', 'busybox', '--version', '1.35.0-r0', '--arch', ARCH, '--from', tree].concat(
        ['--license', 'GPL-2.0-only', '--sign-key', KEY, '-o', rebuilt],
      ),
      { env: ENV },
    );
    expect(made.status, made.stderr).toBe(0);
    server.put(PACKAGE, await readFile(rebuilt));
    try {
      const r = await run(
        ['image', 'build', 'images/app.yaml', '--lockfile', 'apko.lock.json', '-o', 'stale'],
        'state-stale',
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^larder: LOCK_STALE: lock is stale: ${server.url}${PACKAGE} \\(busybox-1\\.35\\.0-r0\\) (signature|control|data) is sha(1|256)-\\S+, the lock says sha(1|256)-\\S+; run larder lock again\\n$`,
        ),
      );
      expect(r.stdout).toBe('');
      await expect(readdir(join(dir, 'stale'))).rejects.toThrow(/ENOENT/);
    } finally {
      server.put(PACKAGE, original);
    }
  });

  it('with --offline and the server stopped, the locked build comes from the download cache, same digest', async () => {
    expect(plainDigest).toBeDefined();
    await server.close();
    stopped = true;
    const requestsBefore = server.requests.length;
    const r = await run(
      [
        'image',
        'build',
        'images/app.yaml',
        '--lockfile',
        'apko.lock.json',
        '--offline',
        '-o',
        'offline',
      ].concat(['-t', 'app:1']),
      'state-bazel',
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(plainDigest);
    expect(server.requests.length).toBe(requestsBefore);
    const bundle = join(dir, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${join(dir, 'offline')}:app:1`, bundle], {
      stdio: 'ignore',
    });
    const installed = await readFile(join(bundle, 'rootfs', 'lib', 'apk', 'db', 'installed'), 'utf8');
    expect(installed).toMatch(/^P:busybox\nV:1\.35\.0-r0$/m);
    // The developer's flow in one state dir: plain build, lock, then the locked offline build.
    const dev = await run(
      ['image', 'build', 'images/app.yaml', '--lockfile', 'apko.lock.json', '--offline', '-o', 'offline-dev'],
      'state-dev',
    );
    expect(dev.status, dev.stderr).toBe(0);
    expect(dev.stdout.trim()).toBe(plainDigest);
    expect(server.requests.length).toBe(requestsBefore);
    // An empty cache cannot build offline: the cached files above are what made it work.
    const empty = await run(
      ['image', 'build', 'images/app.yaml', '--lockfile', 'apko.lock.json', '--offline', '-o', 'off-empty'],
      'state-empty',
    );
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe(
      `larder: OFFLINE_MISS: offline: ${server.url}${KEYRING} is not in the cache (${join(dir, 'state-empty', 'cache', 'http')})\n`,
    );
    await expect(readdir(join(dir, 'off-empty'))).rejects.toThrow(/ENOENT/);
  });
});
