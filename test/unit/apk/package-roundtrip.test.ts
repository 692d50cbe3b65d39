import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ApkPackageMeta,
  assertApkVerified,
  collectTree,
  loadApkSigningKey,
  loadKeyring,
  readApkPackage,
  writeApkPackage,
} from '../../../src/apk/index.js';
import { own, tempDir } from '../../kit/paths.js';
import { makeSampleTree } from '../../kit/sample-tree.js';

const META: ApkPackageMeta = {
  pkgname: 'sample',
  pkgver: '1.2.3-r4',
  pkgdesc: 'a sample package',
  url: 'https://example.org/sample',
  arch: 'x86_64',
  origin: 'sample',
  license: 'Apache-2.0 OR MIT',
  builddate: 1_700_000_000,
  depend: ['so:libc.musl-x86_64.so.1', 'busybox>=1.36'],
  provides: ['cmd:sample=1.2.3-r4'],
  replaces: ['old-sample'],
  install_if: [],
  triggers: [],
  extra: [],
};

async function writeSample(dir: string, out: string, mtime = 1_700_000_000) {
  const signKey = await loadApkSigningKey(own('keys', 'larder-test.rsa'));
  const entries = await collectTree(join(dir, 'tree'));
  const scripts = [{ name: '.post-install' as const, content: '#!/bin/sh\necho installed\n' }];
  return writeApkPackage(join(dir, out), { meta: META, entries, scripts, signKey, mtime });
}

describe('package write → read', () => {
  it('gives back the metadata, every entry, every file content, and verifies', async () => {
    const dir = await tempDir();
    await makeSampleTree(join(dir, 'tree'));
    const written = await writeSample(dir, 'sample.apk');
    const contents = new Map<string, Buffer[]>();
    let currentPath = '';
    const keyring = await loadKeyring([own('keys', 'larder-test.rsa.pub')]);
    const pkg = await readApkPackage(written.path, {
      keyring,
      onDataEvent: (e) => {
        if (e.type === 'entry') {
          currentPath = e.header.name;
          contents.set(currentPath, []);
        } else if (e.type === 'data') contents.get(currentPath)?.push(e.bytes);
      },
    });
    assertApkVerified(pkg);
    expect(pkg.pkginfo).toEqual(written.pkginfo);
    expect(pkg.pkginfo).toMatchObject(META);
    expect(pkg.scripts).toEqual([
      { name: '.post-install', mode: 0o755, content: Buffer.from('#!/bin/sh\necho installed\n') },
    ]);
    expect(pkg.files.map((f) => f.path)).toEqual([
      'etc',
      'etc/empty.conf',
      'usr',
      'usr/bin',
      'usr/bin/sample',
      'usr/bin/sample-hard',
      'usr/bin/sample-link',
      'usr/bin/suid',
      'usr/share',
      'usr/share/doc',
      'usr/share/doc/sample',
      'usr/share/doc/sample/README',
      'usr/share/doc/sample/blob.bin',
    ]);
    const byPath = new Map(pkg.files.map((f) => [f.path, f]));
    expect(byPath.get('usr/bin/sample-hard')?.header).toMatchObject({
      type: 'hardlink',
      linkname: 'usr/bin/sample',
    });
    expect(byPath.get('usr/bin/sample-link')?.header).toMatchObject({ type: 'symlink', linkname: 'sample' });
    expect(byPath.get('usr/bin/suid')?.header.mode).toBe(0o4755);
    expect(byPath.get('usr/bin/sample')?.header).toMatchObject({
      mode: 0o755,
      uid: 0,
      gid: 0,
      uname: 'root',
      mtime: 1_700_000_000,
    });
    for (const rel of [
      'usr/bin/sample',
      'usr/share/doc/sample/blob.bin',
      'usr/share/doc/sample/README',
      'etc/empty.conf',
    ]) {
      expect(Buffer.concat(contents.get(rel) ?? []).equals(await readFile(join(dir, 'tree', rel))), rel).toBe(
        true,
      );
    }
    expect(pkg.verification.fileChecksums).toEqual({ checked: 6, mismatched: [] });
    expect(pkg.fileSize).toBe(written.fileSize);
    expect(pkg.fileSize).toBe((await readFile(written.path)).length);
  });

  it('writes identical bytes twice, and different bytes for another SOURCE_DATE_EPOCH', async () => {
    const dir = await tempDir();
    await makeSampleTree(join(dir, 'tree'));
    const a = await readFile((await writeSample(dir, 'a.apk')).path);
    const b = await readFile((await writeSample(dir, 'b.apk')).path);
    const c = await readFile((await writeSample(dir, 'c.apk', 1_800_000_000)).path);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it('refuses invalid metadata before writing anything', async () => {
    const dir = await tempDir();
    await makeSampleTree(join(dir, 'tree'));
    const entries = await collectTree(join(dir, 'tree'));
    await expect(
      writeApkPackage(join(dir, 'x.apk'), { meta: { ...META, pkgname: 'a/b' }, entries }),
    ).rejects.toMatchObject({ code: 'PKGINFO_INVALID' });
    await expect(readFile(join(dir, 'x.apk'))).rejects.toThrow(/ENOENT/);
  });

  it('writes unsigned packages when no key is given', async () => {
    const dir = await tempDir();
    await makeSampleTree(join(dir, 'tree'));
    const entries = await collectTree(join(dir, 'tree'));
    const written = await writeApkPackage(join(dir, 'u.apk'), { meta: META, entries });
    const pkg = await readApkPackage(written.path);
    expect(pkg.members.signature).toBeUndefined();
    expect(pkg.verification.datahash).toBe('ok');
  });
});
