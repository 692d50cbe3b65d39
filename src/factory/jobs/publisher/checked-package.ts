/** One built `.apk` checked before it enters the repository: signature, name, version and arch. */
import { type ApkKeyring, assertApkVerified, readApkPackage } from '../../../apk/index.js';
import { inFile, LarderError } from '../../../core/index.js';
import type { BuiltPackageFile, PublishedPackageInfo } from '../../service.js';

/**
 * Reads `file.path` fully (datahash, file checksums, signature against `keyring`) and checks that
 * its `.PKGINFO` agrees with the file name and the target arch (or is `noarch`).
 * @throws LarderError naming the file: its read or verification error, or PACKAGE_INVALID.
 */
export async function checkedPackage(
  file: BuiltPackageFile,
  arch: string,
  keyring: ApkKeyring,
): Promise<PublishedPackageInfo> {
  const pkg = await readApkPackage(file.path, { keyring }).catch((err: unknown) => {
    throw inFile(file.path, err);
  });
  try {
    assertApkVerified(pkg, { signature: true });
  } catch (err) {
    throw inFile(file.path, err);
  }
  const { pkgname, pkgver, origin } = pkg.pkginfo;
  const expected = `${pkgname}-${pkgver}.apk`;
  if (file.fileName !== expected)
    throw invalid(file, `holds ${pkgname} ${pkgver}, so it must be named ${expected}, not ${file.fileName}`);
  if (pkg.pkginfo.arch !== arch && pkg.pkginfo.arch !== 'noarch')
    throw invalid(file, `is built for ${pkg.pkginfo.arch}, not ${arch}`);
  return {
    name: pkgname,
    version: pkgver,
    arch,
    origin: origin ?? pkgname,
    checksum: pkg.checksum,
    size: pkg.fileSize,
  };
}

function invalid(file: BuiltPackageFile, message: string): LarderError {
  return new LarderError('PACKAGE_INVALID', `${file.path}: package ${message}`, { subject: file.path });
}
