import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { assertApkVerified, loadKeyring, readApkPackage } from '../../../src/apk/index.js';
import { shared } from '../../kit/paths.js';

// Every real package fixture: structure, hashes, and the signature verdict with its key.
describe('real packages', () => {
  it('alpine-baselayout (abuild, .SIGN.RSA SHA-1, GNU tar) verifies with Alpine key 616ae350', async () => {
    const keyring = await loadKeyring([shared('keys', 'alpine')]);
    const pkg = await readApkPackage(shared('apk', 'alpine-baselayout-3.2.0-r23.apk'), { keyring });
    expect(pkg.verification.signature).toEqual({
      verdict: 'ok',
      keyName: 'alpine-devel@lists.alpinelinux.org-616ae350.rsa.pub',
    });
    expect(pkg.signatures.map((s) => s.type)).toEqual(['RSA']);
    expect(pkg.pkginfo.pkgname).toBe('alpine-baselayout');
    expect(pkg.pkginfo.pkgver).toBe('3.2.0-r23');
    expect(pkg.verification.datahash).toBe('ok');
    expect(pkg.verification.fileChecksums.checked).toBeGreaterThan(0);
    expect(pkg.verification.fileChecksums.mismatched).toEqual([]);
    expect(pkg.scripts.map((s) => s.name)).toContain('.pre-install');
    expect(() => assertApkVerified(pkg)).not.toThrow();
  });

  it('hello-wolfi (melange) is UNTRUSTED: its key is not public; hashes still verify', async () => {
    // keys/melange holds a *different* key named melange.rsa.pub: apk-tools would call this a
    // BAD signature; larder sees the signature was made by another key and says UNTRUSTED.
    const keyring = await loadKeyring([shared('keys', 'melange'), shared('keys', 'alpine')]);
    const pkg = await readApkPackage(shared('apk', 'hello-wolfi-2.12.1-r0.apk'), { keyring });
    expect(pkg.verification.signature).toMatchObject({
      verdict: 'untrusted',
      reason: expect.stringMatching(/different key/),
    });
    const none = await readApkPackage(shared('apk', 'hello-wolfi-2.12.1-r0.apk'), {
      keyring: await loadKeyring([shared('keys', 'alpine')]),
    });
    expect(none.verification.signature).toMatchObject({
      verdict: 'untrusted',
      reason: expect.stringMatching(/no such key/),
    });
    expect(pkg.signatures[0]?.keyName).toBe('melange.rsa.pub');
    expect(pkg.signatures[0]?.type).toBe('RSA');
    expect(pkg.members.signature).toMatchObject({ offset: 0, length: 654 });
    expect(pkg.members.control).toMatchObject({ offset: 654, length: 359 });
    expect(pkg.members.data[0]).toMatchObject({ offset: 1013, length: 71_778 });
    expect(pkg.dataSha256).toMatch(/^3a6c21f2.*d887$/);
    expect(pkg.verification.datahash).toBe('ok');
    expect(pkg.fileSize).toBe(72_791);
    expect(() => assertApkVerified(pkg)).toThrow(/UNTRUSTED|melange\.rsa\.pub/);
  });

  it('hello-0.1.0 is unsigned: untrusted "not signed", but readable', async () => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    const pkg = await readApkPackage(shared('apk', 'hello-0.1.0-r0.apk'), { keyring });
    expect(pkg.members.signature).toBeUndefined();
    expect(pkg.verification.signature).toEqual({ verdict: 'untrusted', reason: 'not signed' });
    expect(pkg.verification.datahash).toBe('ok');
  });

  it('hello-2.12 (gzip header with mtime) reads and names its local key', async () => {
    const pkg = await readApkPackage(shared('apk', 'hello-2.12-r0.apk'));
    expect(pkg.signatures[0]?.keyName).toBe('local-melange.rsa.pub');
    expect(pkg.verification.signature.verdict).toBe('unchecked');
    expect(pkg.verification.datahash).toBe('ok');
    expect(pkg.verification.fileChecksums.mismatched).toEqual([]);
  });

  it('replaces-0.0.1 keeps both replaces lines', async () => {
    const pkg = await readApkPackage(shared('apk', 'replaces-0.0.1-r0.apk'));
    expect(pkg.pkginfo.replaces.length).toBe(2);
  });

  it('every package of the melange-test repository verifies with melange.rsa.pub', async () => {
    const keyring = await loadKeyring([shared('keys', 'melange')]);
    let count = 0;
    for (const arch of ['x86_64', 'aarch64']) {
      for (const name of (await readdir(shared('repo', 'melange-test', arch))).filter((n) =>
        n.endsWith('.apk'),
      )) {
        const pkg = await readApkPackage(shared('repo', 'melange-test', arch, name), { keyring });
        assertApkVerified(pkg);
        expect(pkg.pkginfo.arch).toMatch(new RegExp(`^(${arch}|noarch)$`));
        count++;
      }
    }
    expect(count).toBe(8);
  });
});
