import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  collectTree,
  loadApkSigningKey,
  newPackageRecord,
  writeApkIndex,
  writeApkPackage,
} from '../../src/apk/index.js';
import { pkgMeta } from '../kit/meta.js';
import { own, ROOT, tempDir } from '../kit/paths.js';
import { makeSampleTree } from '../kit/sample-tree.js';

// A package and an index written by larder verify by a path that shares no code with larder:
// Python's zlib splits the gzip members, GNU tar extracts the signature, openssl checks it.
const SPLIT = join(ROOT, 'test', 'kit', 'split-members.py');
const PUB = own('keys', 'larder-test.rsa.pub');

function split(file: string, dir: string): number {
  return Number(execFileSync('python3', [SPLIT, file, dir], { encoding: 'utf8' }).trim());
}

function opensslVerify(dir: string, signedFile: string, sigEntry: string): string {
  const sig = join(dir, 'sig.bin');
  execFileSync('sh', ['-c', `tar -xOf "${join(dir, 'member-0.tar')}" "${sigEntry}" > "${sig}"`]);
  return execFileSync('openssl', ['dgst', '-sha256', '-verify', PUB, '-signature', sig, signedFile], {
    encoding: 'utf8',
  });
}

describe('independent verification with python zlib, tar and openssl', () => {
  it('a package: the signature covers the control member; datahash is sha256 of the data member', async () => {
    const dir = await tempDir();
    await makeSampleTree(join(dir, 'tree'));
    const signKey = await loadApkSigningKey(own('keys', 'larder-test.rsa'));
    const written = await writeApkPackage(join(dir, 'sample-1.0-r0.apk'), {
      meta: pkgMeta({ pkgname: 'sample', pkgver: '1.0-r0' }),
      entries: await collectTree(join(dir, 'tree')),
      signKey,
    });
    expect(split(written.path, dir)).toBe(3);
    expect(execFileSync('tar', ['-tf', join(dir, 'member-0.tar')], { encoding: 'utf8' })).toBe(
      '.SIGN.RSA256.larder-test.rsa.pub\n',
    );
    expect(opensslVerify(dir, join(dir, 'member-1.gz'), '.SIGN.RSA256.larder-test.rsa.pub')).toBe(
      'Verified OK\n',
    );
    const pkginfo = execFileSync('tar', ['-xOf', join(dir, 'member-1.tar'), '.PKGINFO'], {
      encoding: 'utf8',
    });
    const datahash = execFileSync('sha256sum', [join(dir, 'member-2.gz')], { encoding: 'utf8' }).split(
      ' ',
    )[0];
    expect(pkginfo).toContain(`datahash = ${datahash}\n`);
    // GNU tar lists the data member, and reads the whole .apk as one stream, as apk-tools does.
    expect(execFileSync('tar', ['-tf', join(dir, 'member-2.tar')], { encoding: 'utf8' })).toContain(
      'usr/bin/sample\n',
    );
    expect(
      execFileSync('tar', ['-tzf', written.path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
    ).toMatch(/^\.SIGN\.RSA256\.larder-test\.rsa\.pub\n\.PKGINFO\netc\n/);
  });

  it('an index: the signature covers the compressed index member', async () => {
    const dir = await tempDir();
    const signKey = await loadApkSigningKey(own('keys', 'larder-test.rsa'));
    const path = join(dir, 'APKINDEX.tar.gz');
    await writeFile(
      path,
      writeApkIndex([{ ...newPackageRecord('a', '1.0-r0'), checksum: 'Q1m6wB0UFePGN8Drz82pC8y2uAiu8=' }], {
        signKey,
      }),
    );
    expect(split(path, dir)).toBe(2);
    expect(opensslVerify(dir, join(dir, 'member-1.gz'), '.SIGN.RSA256.larder-test.rsa.pub')).toBe(
      'Verified OK\n',
    );
    const text = execFileSync('tar', ['-xOf', join(dir, 'member-1.tar'), 'APKINDEX'], { encoding: 'utf8' });
    expect(text.startsWith('C:Q1m6wB0UFePGN8Drz82pC8y2uAiu8=\nP:a\nV:1.0-r0\n')).toBe(true);
    const member1 = await readFile(join(dir, 'member-1.gz'));
    expect(member1.length).toBeGreaterThan(0);
  });
});
