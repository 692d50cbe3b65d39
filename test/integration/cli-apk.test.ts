import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readApkIndex } from '../../src/apk/index.js';
import { larder } from '../kit/cli.js';
import { own, shared, tempDir } from '../kit/paths.js';
import { makeSampleTree } from '../kit/sample-tree.js';

const KEY = own('keys', 'larder-test.rsa');
const PUB = own('keys', 'larder-test.rsa.pub');

function create(dir: string, name: string, version: string, extra: string[] = []) {
  return larder([
    'apk',
    'create',
    '--name',
    name,
    '--version',
    version,
    '--arch',
    'x86_64',
    '--from',
    join(dir, 'tree'),
    '--sign-key',
    KEY,
    '-o',
    join(dir, 'repo', 'x86_64', `${name}-${version}.apk`),
    ...extra,
  ]);
}

describe('larder apk and index', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await tempDir();
    await makeSampleTree(join(dir, 'tree'));
  });

  it('keygen writes NAME.rsa (0600) and NAME.rsa.pub and prints both paths', async () => {
    const r = larder(['keygen', '--name', 'ci-key', '--out', join(dir, 'keys'), '--bits', '2048']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join(dir, 'keys', 'ci-key.rsa')}\n${join(dir, 'keys', 'ci-key.rsa.pub')}\n`);
    expect((await stat(join(dir, 'keys', 'ci-key.rsa'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'keys', 'ci-key.rsa'), 'utf8')).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----/,
    );
    expect(await readFile(join(dir, 'keys', 'ci-key.rsa.pub'), 'utf8')).toMatch(
      /^-----BEGIN PUBLIC KEY-----/,
    );
    expect(larder(['keygen', '--name', '../evil', '--out', dir]).status).toBe(2);
  });

  it('apk create → info → contents → verify', async () => {
    const r = create(dir, 'sample', '1.0.0-r0', [
      '--depends',
      'busybox',
      '--depends',
      'so:libc.so.6',
      '--provides',
      'cmd:sample=1.0.0-r0',
      '--license',
      'MIT',
      '--description',
      'sample package',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const apk = join(dir, 'repo', 'x86_64', 'sample-1.0.0-r0.apk');
    expect(r.stdout).toBe(`${apk}\n`);
    const info = larder(['apk', 'info', apk, '--json']);
    expect(info.status).toBe(0);
    expect(info.stdout.split('\n').length).toBe(2);
    const json = JSON.parse(info.stdout);
    expect(json).toMatchObject({
      name: 'sample',
      version: '1.0.0-r0',
      arch: 'x86_64',
      license: 'MIT',
      depends: ['busybox', 'so:libc.so.6'],
      signatures: ['.SIGN.RSA256.larder-test.rsa.pub'],
    });
    expect(larder(['apk', 'info', apk]).stdout).toContain('name: sample\nversion: 1.0.0-r0\n');
    const contents = larder(['apk', 'contents', apk]).stdout.trim().split('\n');
    expect(contents).toEqual([...contents].sort());
    expect(contents).toContain('usr/bin/sample');
    expect(larder(['apk', 'verify', apk, '--keyring', PUB])).toMatchObject({
      status: 0,
      stdout: `OK ${apk}\n`,
    });
  });

  it('apk verify: UNTRUSTED, BAD and unreadable, one line per file in order, worst exit status', async () => {
    const ok = join(dir, 'repo', 'x86_64', 'sample-1.0.0-r0.apk');
    const untrusted = larder(['apk', 'verify', ok, '--keyring', own('keys', 'other-test.rsa.pub')]);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stdout).toMatch(
      new RegExp(`^UNTRUSTED ${ok}: signed with \\.SIGN\\.RSA256\\.larder-test\\.rsa\\.pub`),
    );
    const bad = own('bad', 'tampered-data.apk');
    const mixed = larder([
      'apk',
      'verify',
      ok,
      bad,
      shared('apk', 'hello-wolfi-2.12.1-r0.apk'),
      '--keyring',
      PUB,
    ]);
    expect(mixed.status).toBe(1);
    const lines = mixed.stdout.trim().split('\n');
    expect(lines[0]).toBe(`OK ${ok}`);
    expect(lines[1]).toMatch(new RegExp(`^BAD ${bad}: data member sha256`));
    expect(lines[2]).toMatch(
      /^UNTRUSTED .*hello-wolfi-2\.12\.1-r0\.apk: signed with \.SIGN\.RSA\.melange\.rsa\.pub/,
    );
    const missing = larder(['apk', 'verify', join(dir, 'nope.apk'), '--keyring', PUB]);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toMatch(/^BAD .*nope\.apk: /);
    const alpine = larder([
      'apk',
      'verify',
      shared('apk', 'alpine-baselayout-3.2.0-r23.apk'),
      '--keyring',
      shared('keys', 'alpine'),
    ]);
    expect(alpine).toMatchObject({ status: 0 });
  });

  it('index: signed, merges into the existing index, --rebuild replaces it', async () => {
    expect(create(dir, 'other', '2.0-r1').status).toBe(0);
    const out = join(dir, 'repo', 'x86_64', 'APKINDEX.tar.gz');
    const r1 = larder([
      'index',
      '--sign-key',
      KEY,
      '-o',
      out,
      join(dir, 'repo', 'x86_64', 'sample-1.0.0-r0.apk'),
    ]);
    expect(r1).toMatchObject({ status: 0, stdout: `${out}\n` });
    const r2 = larder([
      'index',
      '--sign-key',
      KEY,
      '-o',
      out,
      '--description',
      'v2',
      join(dir, 'repo', 'x86_64', 'other-2.0-r1.apk'),
    ]);
    expect(r2.status).toBe(0);
    const { loadKeyring } = await import('../../src/apk/index.js');
    const keyring = await loadKeyring([PUB]);
    const merged = readApkIndex(await readFile(out), { keyring });
    expect(merged.signature).toEqual({ verdict: 'ok', keyName: 'larder-test.rsa.pub' });
    expect(merged.records.map((r) => `${r.name}-${r.version}`)).toEqual(['other-2.0-r1', 'sample-1.0.0-r0']);
    expect(merged.description).toBe('v2');
    const sample = merged.records.find((r) => r.name === 'sample')!;
    expect(sample.size).toBe((await stat(join(dir, 'repo', 'x86_64', 'sample-1.0.0-r0.apk'))).size);
    const r3 = larder([
      'index',
      '--rebuild',
      '--sign-key',
      KEY,
      '-o',
      out,
      join(dir, 'repo', 'x86_64', 'other-2.0-r1.apk'),
    ]);
    expect(r3.status).toBe(0);
    expect(readApkIndex(await readFile(out), { keyring }).records.map((r) => r.name)).toEqual(['other']);
    expect((await readdir(join(dir, 'repo', 'x86_64'))).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('index: refuses to merge into an index signed by another key, and leaves it untouched', async () => {
    const out = join(dir, 'repo', 'x86_64', 'APKINDEX.tar.gz');
    const before = await readFile(out);
    const r = larder([
      'index',
      '--sign-key',
      own('keys', 'other-test.rsa'),
      '-o',
      out,
      join(dir, 'repo', 'x86_64', 'sample-1.0.0-r0.apk'),
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^larder: SIGNATURE_UNTRUSTED: .*APKINDEX\.tar\.gz: .*--rebuild/);
    expect((await readFile(out)).equals(before)).toBe(true);
  });

  it('index: a broken package fails the whole run and writes nothing', async () => {
    const out = join(dir, 'fresh', 'x86_64', 'APKINDEX.tar.gz');
    const r = larder([
      'index',
      '--sign-key',
      KEY,
      '-o',
      out,
      join(dir, 'repo', 'x86_64', 'sample-1.0.0-r0.apk'),
      own('bad', 'bad-crc.apk'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: GZIP_BAD_CRC: .*bad-crc\.apk/);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
  });

  it('index: rejects a package of another arch than the index directory', () => {
    const r = larder([
      'index',
      '--sign-key',
      KEY,
      '-o',
      join(dir, 'arm', 'aarch64', 'APKINDEX.tar.gz'),
      join(dir, 'repo', 'x86_64', 'other-2.0-r1.apk'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/package arch is x86_64 but the index is in .*aarch64/);
  });

  it('apk create --owner sets or keeps owners (root:root by default)', async () => {
    const { readApkPackage } = await import('../../src/apk/index.js');
    const owners = async (extra: string[]) => {
      const out = join(dir, `owner-${extra.join('')}.apk`);
      const r = larder([
        'apk',
        'create',
        '--name',
        'o',
        '--version',
        '1-r0',
        '--from',
        join(dir, 'tree'),
        '--sign-key',
        KEY,
        '-o',
        out,
        ...extra,
      ]);
      expect(r.stderr).toBe('');
      const pkg = await readApkPackage(out);
      return new Set(pkg.files.map((f) => `${f.header.uid}:${f.header.gid}:${f.header.uname}`));
    };
    expect(await owners([])).toEqual(new Set(['0:0:root']));
    expect(await owners(['--owner', '1000:1001'])).toEqual(new Set(['1000:1001:']));
    expect(await owners(['--owner'])).toEqual(
      new Set([
        `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}:${process.getuid?.() === 0 ? 'root' : ''}`,
      ]),
    );
    expect(
      larder([
        'apk',
        'create',
        '--name',
        'o',
        '--version',
        '1-r0',
        '--from',
        join(dir, 'tree'),
        '--sign-key',
        KEY,
        '-o',
        join(dir, 'z.apk'),
        '--owner',
        'bob',
      ]).stderr,
    ).toMatch(/--owner 'bob'/);
  });

  it('apk create reports bad metadata naming the field and value', () => {
    const r = larder([
      'apk',
      'create',
      '--name',
      'a/b',
      '--version',
      '1.0-r0',
      '--from',
      join(dir, 'tree'),
      '--sign-key',
      KEY,
      '-o',
      join(dir, 'x.apk'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: PKGINFO_INVALID: .*pkgname.*a\/b/);
    const v = larder([
      'apk',
      'create',
      '--name',
      'ab',
      '--version',
      '1.0',
      '--from',
      join(dir, 'tree'),
      '--sign-key',
      KEY,
      '-o',
      join(dir, 'x.apk'),
    ]);
    expect(v.stderr).toMatch(/pkgver.*1\.0.*-rN/);
  });

  it('apk info on broken input: one error line, exit 2, no stack trace', () => {
    const r = larder(['apk', 'info', own('bad', 'truncated.apk')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^larder: GZIP_TRUNCATED: .*truncated\.apk: /);
    expect(larder(['apk', 'info', own('bad', 'truncated.apk'), '--debug']).stderr).toMatch(/\n\s+at /);
  });

  it('is reproducible: same tree, key and SOURCE_DATE_EPOCH give the same bytes', async () => {
    const env = { SOURCE_DATE_EPOCH: String(1_600_000_000 + Math.floor(Math.random() * 1e8)) };
    const createTo = (out: string, e: NodeJS.ProcessEnv) =>
      larder(
        [
          'apk',
          'create',
          '--name',
          'r',
          '--version',
          '1-r0',
          '--from',
          join(dir, 'tree'),
          '--sign-key',
          KEY,
          '-o',
          out,
        ],
        { env: e },
      );
    const a = join(dir, 'r1.apk');
    const b = join(dir, 'r2.apk');
    expect(createTo(a, env).status).toBe(0);
    expect(createTo(b, env).status).toBe(0);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
    expect(createTo(a, { SOURCE_DATE_EPOCH: 'yesterday' }).stderr).toMatch(/SOURCE_DATE_EPOCH 'yesterday'/);
  });
});
