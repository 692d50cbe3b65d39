/**
 * The APK format core (formats.md §1-3): apk-tools 2.14 version ordering, dependency strings,
 * `.PKGINFO`, APK v2 packages (read, verify, write), APKINDEX (text and signed archive), the
 * installed database, RSA keys, keyrings and `.SIGN.*` signatures.
 */
export { APK_ARCHES, type ApkArch, hostApkArch, toApkArch } from './arch.js';
export {
  type Dependency,
  dependencyMatches,
  formatDependency,
  type Provide,
  parseDependency,
  parseDependencyList,
  parseProvide,
  VERSION_OPS,
  type VersionOp,
  versionOpMask,
} from './dependency.js';
export {
  type ApkIndex,
  type ApkIndexTrust,
  type ReadApkIndexOptions,
  readApkIndex,
  verifyApkIndex,
  type WriteApkIndexOptions,
  writeApkIndex,
} from './index-archive.js';
export { newPackageRecord, type PackageRecord } from './index-record.js';
export { formatApkIndexText, parseApkIndexText, sortApkIndexRecords } from './index-text.js';
export { formatInstalledDb, type InstalledPackage, parseInstalledDb } from './installed-db.js';
export type { InstalledAcl, InstalledDir, InstalledFile } from './installed-db-files.js';
export { type ApkKeyring, EMPTY_KEYRING, keyringFromPems, loadKeyring } from './keyring.js';
export {
  type ApkControlScript,
  type ApkFileEntry,
  type ApkPackage,
  type ApkPackageHead,
  type ApkSignatureVerdict,
  type ApkVerification,
  assertApkVerified,
  type ReadApkOptions,
  readApkPackage,
  readApkPackageHead,
} from './package-read.js';
export { compareIndexRecords, mergeIndexRecords, recordFromPackage } from './package-record.js';
export { type ApkTreeEntry, collectTree, type OwnerPolicy } from './package-tree.js';
export {
  type ApkPackageMeta,
  type ApkScript,
  checkApkMeta,
  treeEntryHeader,
  type WriteApkOptions,
  type WrittenApk,
  writeApkPackage,
} from './package-write.js';
export { formatPkgInfo, PKGINFO_KEY_ORDER, type PkgInfo, parsePkgInfo } from './pkginfo.js';
export {
  type ApkSigningKey,
  DEFAULT_RSA_BITS,
  generateApkKeyPair,
  loadApkSigningKey,
  MIN_RSA_BITS,
  parseApkSigningKey,
  publicKeyPem,
} from './rsa-key.js';
export {
  type ApkSignatureEntry,
  type ApkSignatureType,
  parseSignatureName,
  pickSignature,
  type SignaturePick,
  signatureEntryName,
  signRsa256,
  verifySignature,
} from './signature.js';
export {
  apkVersionCompare,
  assertValidVersion,
  compareVersions,
  DEPMASK_ANY,
  DEPMASK_CHECKSUM,
  isValidVersion,
  VERSION_EQUAL,
  VERSION_FUZZY,
  VERSION_GREATER,
  VERSION_LESS,
  VERSION_UNORDERED,
  type VersionResult,
  versionProblem,
} from './version.js';
