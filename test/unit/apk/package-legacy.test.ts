import { createHash, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatPkgInfo,
  loadApkSigningKey,
  loadKeyring,
  readApkPackage,
  readApkPackageHead,
} from '../../../src/apk/index.js';
import { gzipMember, type TarWriteEntry, tarEntry, writeTar } from '../../../src/archive/index.js';
import { pkgMeta } from '../../kit/meta.js';
import { own } from '../../kit/paths.js';

// Packages from before datahash (pre-2.x abuild): the signature and the identity cover the
// control member AND the data (formats.md §1.3, §1.6).
async function legacyPackage(tamper: boolean) {
  const key = await loadApkSigningKey(own('keys', 'larder-test.rsa'));
  const root = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: 0, mode: 0o644 } as const;
  const pkginfo = formatPkgInfo({
    ...pkgMeta({ pkgname: 'old', pkgver: '1.0-r0', pkgdesc: 'legacy' }),
    size: 3,
  });
  const control = gzipMember(
    writeTar([{ entry: { ...root, name: '.PKGINFO', type: 'file' }, data: Buffer.from(pkginfo) }], {
      endBlocks: false,
    }),
  );
  const data = (content: string) =>
    gzipMember(
      writeTar([{ entry: { ...root, name: 'old.txt', type: 'file' }, data: Buffer.from(content) }], {
        endBlocks: true,
      }),
    );
  const signature = sign('sha1', Buffer.concat([control, data('abc')]), key.privateKey);
  const entry: TarWriteEntry = { ...root, name: '.SIGN.RSA.larder-test.rsa.pub', type: 'file' };
  const bytes = Buffer.concat([
    gzipMember(tarEntry(entry, signature)),
    control,
    data(tamper ? 'abd' : 'abc'),
  ]);
  return {
    bytes,
    identity: `Q1${createHash('sha1')
      .update(Buffer.concat([control, data(tamper ? 'abd' : 'abc')]))
      .digest('base64')}`,
  };
}

async function* once(b: Buffer) {
  yield b;
}

describe('packages without datahash', () => {
  it('verify over control + data, with the identity over both', async () => {
    const { bytes, identity } = await legacyPackage(false);
    const pkg = await readApkPackage(once(bytes), {
      keyring: await loadKeyring([own('keys', 'larder-test.rsa.pub')]),
    });
    expect(pkg.verification.signature).toEqual({ verdict: 'ok', keyName: 'larder-test.rsa.pub' });
    expect(pkg.verification.datahash).toBe('absent');
    expect(pkg.checksum).toBe(identity);
    const head = await readApkPackageHead(bytes, {
      keyring: await loadKeyring([own('keys', 'larder-test.rsa.pub')]),
    });
    expect(head.verification.signature).toEqual(pkg.verification.signature);
    expect(head.checksum).toBe(identity);
  });

  it('altered data breaks the signature (BAD, not UNTRUSTED)', async () => {
    const { bytes } = await legacyPackage(true);
    const pkg = await readApkPackage(once(bytes), {
      keyring: await loadKeyring([own('keys', 'larder-test.rsa.pub')]),
    });
    expect(pkg.verification.signature.verdict).toBe('bad');
    const head = await readApkPackageHead(bytes, {
      keyring: await loadKeyring([own('keys', 'larder-test.rsa.pub')]),
    });
    expect(head.verification.signature.verdict).toBe('bad');
  });
});
