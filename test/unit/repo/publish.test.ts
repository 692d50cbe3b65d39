import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApkSigningKey,
  keyringFromPems,
  loadApkSigningKey,
  publicKeyPem,
  readApkIndex,
  writeApkIndex,
  writeApkPackage,
} from '../../../src/apk/index.js';
import { isLarderError } from '../../../src/core/index.js';
import { acquireRepoLock, publishPackages } from '../../../src/repo/index.js';
import { own, ROOT, tempDir } from '../../kit/paths.js';

const run = promisify(execFile);
let dir: string;
let key: ApkSigningKey;

beforeEach(async () => {
  dir = await tempDir('larder-publish-');
  key = await loadApkSigningKey(own('keys/larder-test.rsa'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A small signed package `name-version` whose one file holds `content`. */
async function makeApk(name: string, version: string, content = name, arch = 'x86_64'): Promise<string> {
  const path = join(dir, 'build', `${name}-${version}-${content}.apk`);
  await writeApkPackage(path, {
    meta: {
      pkgname: name,
      pkgver: version,
      pkgdesc: '',
      url: '',
      arch,
      depend: [],
      provides: [],
      install_if: [],
      replaces: [],
      triggers: [],
      extra: [],
    },
    entries: [
      {
        path: 'hello',
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        uname: 'root',
        gname: 'root',
        size: content.length,
        xattrs: [],
        source: Buffer.from(content),
      },
    ],
    signKey: key,
  });
  return path;
}

async function index(repo = join(dir, 'repo')) {
  const keyring = keyringFromPems([[`${key.keyName}.pub`, publicKeyPem(key)]]);
  const idx = readApkIndex(await readFile(join(repo, 'x86_64', 'APKINDEX.tar.gz')), { keyring });
  expect(idx.signature.verdict).toBe('ok');
  return idx;
}

const publish = (packages: string[], extra: Partial<Parameters<typeof publishPackages>[0]> = {}) =>
  publishPackages({ repoDir: join(dir, 'repo'), arch: 'x86_64', packages, signKey: key, ...extra });

describe('publishPackages', () => {
  it('copies packages into REPO/ARCH and merges them into the signed index', async () => {
    const first = await publish([await makeApk('a', '1.0-r0'), await makeApk('b', '2.0-r1')]);
    expect(first.packages.map((p) => p.path)).toEqual([
      join(dir, 'repo/x86_64/a-1.0-r0.apk'),
      join(dir, 'repo/x86_64/b-2.0-r1.apk'),
    ]);
    await publish([await makeApk('c', '1.0-r0')], { description: 'test repo' });
    const idx = await index();
    expect(idx.records.map((r) => `${r.name}-${r.version}`)).toEqual(['a-1.0-r0', 'b-2.0-r1', 'c-1.0-r0']);
    expect(idx.description).toBe('test repo');
    expect((await readdir(join(dir, 'repo/x86_64'))).sort()).toEqual([
      'APKINDEX.tar.gz',
      'a-1.0-r0.apk',
      'b-2.0-r1.apk',
      'c-1.0-r0.apk',
    ]);
  });

  it('replaces a rebuilt package of the same name and version', async () => {
    await publish([await makeApk('a', '1.0-r0', 'old')]);
    const before = (await index()).records[0]?.checksum;
    await publish([await makeApk('a', '1.0-r0', 'new!')]);
    const records = (await index()).records;
    expect(records).toHaveLength(1);
    expect(records[0]?.checksum).not.toBe(before);
    expect(records[0]?.size).toBe((await stat(join(dir, 'repo/x86_64/a-1.0-r0.apk'))).size);
  });

  it('never loses a package when publishers race in one process', async () => {
    const apks = await Promise.all(Array.from({ length: 8 }, (_, i) => makeApk(`p${i}`, '1.0-r0')));
    await Promise.all(apks.map((apk) => publish([apk])));
    expect((await index()).records.map((r) => r.name)).toEqual(apks.map((_, i) => `p${i}`));
  });

  it('never loses a package when publishers race in separate processes', async () => {
    const groups = await Promise.all(
      [0, 1, 2].map((g) => Promise.all([0, 1, 2].map((i) => makeApk(`g${g}-${i}`, '1.0-r0')))),
    );
    await Promise.all(
      groups.map((packages) =>
        run(
          process.execPath,
          [
            '--import',
            'tsx',
            join(ROOT, 'test/kit/publish-child.ts'),
            JSON.stringify({
              repoDir: join(dir, 'repo'),
              arch: 'x86_64',
              key: own('keys/larder-test.rsa'),
              packages,
            }),
          ],
          { cwd: ROOT },
        ),
      ),
    );
    expect((await index()).records).toHaveLength(9);
  }, 60_000);

  it('leaves the old index intact when a publisher throws after writing its temporary index', async () => {
    await publish([await makeApk('a', '1.0-r0')]);
    const old = await readFile(join(dir, 'repo/x86_64/APKINDEX.tar.gz'));
    let temp = '';
    await expect(
      publish([await makeApk('b', '1.0-r0')], {
        beforeCommit: async (tmp) => {
          temp = tmp;
          expect((await stat(tmp)).size).toBeGreaterThan(0);
          throw new Error('simulated crash');
        },
      }),
    ).rejects.toThrow(/simulated crash/);
    expect((await readFile(join(dir, 'repo/x86_64/APKINDEX.tar.gz'))).equals(old)).toBe(true);
    await expect(stat(temp)).rejects.toThrow();
    await publish([await makeApk('c', '1.0-r0')]);
    expect((await index()).records.map((r) => r.name)).toEqual(['a', 'c']);
  });

  it('survives a publisher killed mid-commit: old index intact, its stale lock broken', async () => {
    await publish([await makeApk('a', '1.0-r0')]);
    const old = await readFile(join(dir, 'repo/x86_64/APKINDEX.tar.gz'));
    const child = run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'test/kit/publish-child.ts'),
        JSON.stringify({
          repoDir: join(dir, 'repo'),
          arch: 'x86_64',
          key: own('keys/larder-test.rsa'),
          packages: [await makeApk('b', '1.0-r0')],
          crash: true,
        }),
      ],
      { cwd: ROOT },
    );
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });
    expect((await readFile(join(dir, 'repo/x86_64/APKINDEX.tar.gz'))).equals(old)).toBe(true);
    const left = await readdir(join(dir, 'repo/x86_64'));
    expect(left).toContain('APKINDEX.tar.gz.lock');
    expect(left.some((n) => n.endsWith('.tmp'))).toBe(true);
    await publish([await makeApk('c', '1.0-r0')], { lock: { timeoutMs: 5_000 } });
    // b's file was copied in before the crash, but b was never indexed.
    expect((await index()).records.map((r) => r.name)).toEqual(['a', 'c']);
    expect(
      (await readdir(join(dir, 'repo/x86_64'))).filter((n) => n.startsWith('.') || n.endsWith('.lock')),
    ).toEqual([]);
  }, 60_000);

  it('refuses an index signed by another key, a package of another arch, and a corrupt package', async () => {
    const other = await loadApkSigningKey(own('keys/other-test.rsa'));
    await writeFile(
      join(await tempDirIn('repo/x86_64'), 'APKINDEX.tar.gz'),
      writeApkIndex([], { signKey: other }),
    );
    const err = await publish([await makeApk('a', '1.0-r0')]).catch((e: unknown) => e);
    expect(isLarderError(err, 'SIGNATURE_UNTRUSTED')).toBe(true);
    await expect(publish([await makeApk('b', '1.0-r0', 'b', 'aarch64')])).rejects.toThrow(
      /package arch is aarch64/,
    );
    const broken = await makeApk('c', '1.0-r0');
    const bytes = await readFile(broken);
    bytes[bytes.length - 30] = (bytes[bytes.length - 30] ?? 0) ^ 0xff;
    await writeFile(broken, bytes);
    await expect(publish([broken])).rejects.toThrow();
    expect(await readdir(join(dir, 'repo/x86_64'))).toEqual(['APKINDEX.tar.gz']);
  });
});

describe('acquireRepoLock', () => {
  it('waits for a live holder and times out, and breaks a lock nobody refreshes', async () => {
    const path = join(dir, 'x.lock');
    const held = await acquireRepoLock(path);
    await expect(acquireRepoLock(path, { timeoutMs: 100 })).rejects.toThrow(/locked by another publisher/);
    await held.release();
    const again = await acquireRepoLock(path, { timeoutMs: 100 });
    await again.release();
    await writeFile(path, '{"pid":1,"host":"elsewhere"}\n');
    const old = new Date(Date.now() - 10_000);
    await utimes(path, old, old);
    await expect(acquireRepoLock(path, { timeoutMs: 100, staleMs: 60_000 })).rejects.toThrow(/locked/);
    const broken = await acquireRepoLock(path, { timeoutMs: 1_000, staleMs: 5_000 });
    await writeFile(path, 'someone else');
    await expect(broken.assertHeld()).resolves.toBeUndefined();
    await rm(path);
    await expect(broken.assertHeld()).rejects.toThrow(/broken as stale/);
    await broken.release();
  });
});

async function tempDirIn(rel: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, rel), { recursive: true });
  return join(dir, rel);
}
