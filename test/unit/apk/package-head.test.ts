import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertApkVerified,
  loadKeyring,
  readApkPackage,
  readApkPackageHead,
} from '../../../src/apk/index.js';
import { splitGzipMembers } from '../../../src/archive/index.js';
import { own, shared, tempDir } from '../../kit/paths.js';
import { larderError } from '../archive/helpers.js';

const REPO = (arch: string) => shared('repo', 'melange-test', arch);
const PACKAGES = [
  ...[
    'alpine-baselayout-3.2.0-r23',
    'hello-0.1.0-r0',
    'hello-2.12-r0',
    'hello-wolfi-2.12.1-r0',
    'replaces-0.0.1-r0',
  ].map((n) => shared('apk', `${n}.apk`)),
  ...['x86_64', 'aarch64'].map((a) => join(REPO(a), 'replayout-1.0.0-r0.apk')),
];

describe('readApkPackageHead', () => {
  it.each(PACKAGES)('agrees with the full read on %s, from a path and from bytes', async (file) => {
    const keyring = await loadKeyring([shared('keys', 'melange', 'melange.rsa.pub')]);
    const full = await readApkPackage(file, { keyring });
    for (const source of [file, readFileSync(file)]) {
      const head = await readApkPackageHead(source, { keyring, name: file });
      expect(head.checksum).toBe(full.checksum);
      expect(head.dataSha256).toBe(full.dataSha256);
      expect(head.fileSize).toBe(full.fileSize);
      expect(head.pkginfo).toEqual(full.pkginfo);
      expect(head.members.control).toEqual(full.members.control);
      expect(head.members.signature).toEqual(full.members.signature);
      expect(head.verification.signature).toEqual(full.verification.signature);
      expect(head.verification.datahash).toEqual(full.verification.datahash);
      expect(head.verification.fileChecksums).toBeUndefined();
    }
  });

  it('sees altered data through the datahash without inflating it', async () => {
    const file = join(REPO('x86_64'), 'replayout-1.0.0-r0.apk');
    const bytes = Buffer.from(readFileSync(file));
    const last = splitGzipMembers(bytes).at(-1)!;
    // Flip a byte inside the deflate body: the head reader never inflates, so only the hash can tell.
    bytes[last.offset + last.headerLength + 3] = bytes[last.offset + last.headerLength + 3]! ^ 0x01;
    const head = await readApkPackageHead(bytes, { name: 'tampered.apk' });
    expect(head.verification.datahash).toMatchObject({ expected: head.pkginfo.datahash });
    const err = await larderError(() => assertApkVerified(head, { signature: false }), 'DATAHASH_MISMATCH');
    expect(err.message).toContain('tampered.apk');
  });

  it('leaves per-file checksums to the full read', async () => {
    const file = own('bad', 'bad-file-checksum.apk');
    const head = await readApkPackageHead(file);
    expect(() => assertApkVerified(head, { signature: false })).not.toThrow();
    await larderError(
      async () => assertApkVerified(await readApkPackage(file), { signature: false }),
      'FILE_CHECKSUM_MISMATCH',
    );
  });

  it('names the file when the control member is cut, missing, or followed by nothing', async () => {
    const file = join(REPO('x86_64'), 'replayout-1.0.0-r0.apk');
    const bytes = readFileSync(file);
    const [signature, control] = splitGzipMembers(bytes);
    const dir = await tempDir('head-');
    const cut = join(dir, 'cut.apk');
    writeFileSync(cut, bytes.subarray(0, control!.offset + 20));
    const truncated = await larderError(() => readApkPackageHead(cut), 'GZIP_TRUNCATED');
    expect(truncated.message).toContain(cut);
    const onlySignature = bytes.subarray(0, signature!.length);
    const noControl = await larderError(
      () => readApkPackageHead(onlySignature, { name: 'sig-only.apk' }),
      'PACKAGE_INVALID',
    );
    expect(noControl.message).toMatch(/sig-only\.apk: no control member after the signature/);
    const headOnly = bytes.subarray(0, control!.offset + control!.length);
    const noData = await larderError(
      () => readApkPackageHead(headOnly, { name: 'head-only.apk' }),
      'PACKAGE_INVALID',
    );
    expect(noData.message).toMatch(/head-only\.apk: no data member/);
    await larderError(() => readApkPackageHead(Buffer.alloc(0)), 'GZIP_TRUNCATED');
  });

  it('can take PAX checksums as given when installing, as apk-tools does, and hash only files without one', async () => {
    const file = own('bad', 'bad-file-checksum.apk');
    const given = new Map<string, string | undefined>();
    const pkg = await readApkPackage(file, {
      trustFileChecksums: true,
      onEntryEnd: (entry, sha1) => given.set(entry.path, sha1),
    });
    expect(pkg.verification.fileChecksums.mismatched).toEqual([]);
    const conf = pkg.files.find((f) => f.path === 'etc/sample.conf')!;
    expect(given.get('etc/sample.conf')).toBe(conf.sha1);
    // Checking (the default) hashes the content and finds the lie.
    const checked = await readApkPackage(file);
    expect(checked.verification.fileChecksums.mismatched).toEqual(['etc/sample.conf']);
  });
});
