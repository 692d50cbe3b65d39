import { describe, expect, it } from 'vitest';
import { assertApkVerified, loadKeyring, readApkPackage } from '../../../src/apk/index.js';
import { isLarderError, type LarderErrorCode } from '../../../src/core/index.js';
import { own } from '../../kit/paths.js';

// One test per broken package in test/fixtures/bad/ (made by scripts/make-bad-packages.ts):
// each must fail with a LarderError whose code and message say what is wrong and name the file.
const CASES: ReadonlyArray<readonly [string, LarderErrorCode, RegExp]> = [
  ['truncated.apk', 'GZIP_TRUNCATED', /truncated|ends/i],
  ['bad-crc.apk', 'GZIP_BAD_CRC', /crc/i],
  ['tampered-data.apk', 'DATAHASH_MISMATCH', /datahash/],
  ['tampered-control.apk', 'SIGNATURE_BAD', /larder-test\.rsa\.pub/],
  ['unknown-key.apk', 'SIGNATURE_UNTRUSTED', /other-test\.rsa\.pub/],
  ['bad-file-checksum.apk', 'FILE_CHECKSUM_MISMATCH', /etc\/sample\.conf/],
  ['escape-dotdot.apk', 'TAR_UNSAFE_PATH', /\.\.\/evil/],
  ['escape-absolute.apk', 'TAR_UNSAFE_PATH', /\/etc\/evil/],
  ['symlink-outside.apk', 'TAR_UNSAFE_PATH', /usr\/evil/],
  ['no-end-blocks.apk', 'PACKAGE_INVALID', /end-of-archive/],
  ['pkginfo-slash-name.apk', 'PKGINFO_INVALID', /pkgname.*evil\/name/],
];

describe('broken packages', async () => {
  const keyring = await loadKeyring([own('keys', 'larder-test.rsa.pub')]);
  for (const [name, code, pattern] of CASES) {
    it(`${name} → ${code}`, async () => {
      const path = own('bad', name);
      let thrown: unknown;
      try {
        assertApkVerified(await readApkPackage(path, { keyring }));
      } catch (err) {
        thrown = err;
      }
      expect(isLarderError(thrown), `${name} must fail with a LarderError, got ${String(thrown)}`).toBe(true);
      if (!isLarderError(thrown)) return;
      expect(thrown.code).toBe(code);
      expect(thrown.message).toContain(path);
      expect(thrown.message).toMatch(pattern);
    });
  }
});
