import type { GzipMemberInfo } from '../archive/index.js';
import type { ApkControlScript, ApkFileEntry, ApkSignatureVerdict } from './package-control.js';
import type { PkgInfo } from './pkginfo.js';
import type { ApkSignatureEntry } from './signature.js';

/** The verdicts that make up "does this package verify". */
export interface ApkVerification {
  /** Signature over the control member (or control+data for packages without datahash). */
  readonly signature: ApkSignatureVerdict;
  readonly datahash: 'ok' | 'absent' | { readonly expected: string; readonly actual: string };
  readonly fileChecksums: { readonly checked: number; readonly mismatched: readonly string[] };
}

/**
 * What reading the signature and control members and hashing the rest gives: enough to check
 * a package against its index record and its signature without inflating its data.
 */
export interface ApkPackageHead {
  readonly source: string;
  readonly pkginfo: PkgInfo;
  /** Control entries other than `.PKGINFO` (scripts), with their content. */
  readonly scripts: readonly ApkControlScript[];
  readonly signatures: readonly ApkSignatureEntry[];
  readonly members: {
    readonly signature?: GzipMemberInfo;
    readonly control: GzipMemberInfo;
  };
  /** The APKINDEX `C:` identity: `Q1` + base64(SHA-1 of the control member). */
  readonly checksum: string;
  /** Lowercase hex SHA-256 of everything after the control member. */
  readonly dataSha256: string;
  readonly fileSize: number;
  /** Signature and datahash verdicts; per-file checksums need the data read (ApkPackage). */
  readonly verification: Omit<ApkVerification, 'fileChecksums'> & {
    readonly fileChecksums?: ApkVerification['fileChecksums'];
  };
}

/** A package read from an .apk file, data included. */
export interface ApkPackage extends ApkPackageHead {
  readonly members: ApkPackageHead['members'] & { readonly data: readonly GzipMemberInfo[] };
  readonly files: readonly ApkFileEntry[];
  readonly verification: ApkVerification;
}
