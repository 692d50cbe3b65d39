// SPDX package entries: apk packages, the operating system, the image and its source.
import { parseQ1Checksum } from '../core/index.js';
import { splitMaintainer, splitVcsUrl, supplierName } from './common.js';
import type { SbomOs, SbomPackage } from './model.js';
import { apkPurl, formatPurl } from './purl.js';
import { type LicenseRefs, spdxDeclaredLicense } from './spdx-license.js';
import type { SpdxChecksum, SpdxPackage } from './spdx-types.js';

const NOASSERTION = 'NOASSERTION';

/**
 * Text made fit for an SPDXID (`[A-Za-z0-9.-]`): `:` becomes `-`, every other character
 * becomes `C<code point>` (`libstdc++` → `libstdcC43C43`), the same scheme apko uses, so ids
 * stay readable and distinct.
 */
export function spdxIdPart(text: string): string {
  let out = '';
  for (const ch of text.replaceAll(':', '-')) {
    out += /[A-Za-z0-9.-]/.test(ch) ? ch : `C${ch.codePointAt(0)}`;
  }
  return out;
}

/** `Organization: <pretty name>`, or NOASSERTION when the distribution is unnamed. */
export function spdxSupplier(os: SbomOs): string {
  const name = supplierName(os);
  return name === undefined ? NOASSERTION : `Organization: ${name}`;
}

function spdxOriginator(maintainer: string | undefined, os: SbomOs): string {
  if (maintainer === undefined || maintainer.trim() === '') return spdxSupplier(os);
  const { name, email } = splitMaintainer(maintainer);
  return email === undefined ? `Organization: ${name}` : `Person: ${name} (${email})`;
}

function apkChecksums(pkg: SbomPackage): SpdxChecksum[] {
  const out: SpdxChecksum[] = [];
  const sha1 = pkg.checksum?.control === undefined ? undefined : parseQ1Checksum(pkg.checksum.control);
  if (sha1 !== undefined) out.push({ algorithm: 'SHA1', checksumValue: sha1.toString('hex') });
  const data = pkg.checksum?.data?.toLowerCase();
  if (data !== undefined && /^[0-9a-f]{64}$/.test(data))
    out.push({ algorithm: 'SHA256', checksumValue: data });
  return out;
}

/** The SPDX entry of one apk package; its SPDXID is chosen by the caller. */
export function apkSpdxPackage(id: string, pkg: SbomPackage, os: SbomOs, refs: LicenseRefs): SpdxPackage {
  const checksums = apkChecksums(pkg);
  const homepage = pkg.url?.trim();
  return {
    SPDXID: id,
    name: pkg.name,
    versionInfo: pkg.version,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: spdxDeclaredLicense(pkg.license, refs),
    ...(pkg.description === undefined || pkg.description === '' ? {} : { description: pkg.description }),
    downloadLocation: NOASSERTION,
    ...(homepage === undefined || homepage === '' ? {} : { homepage }),
    originator: spdxOriginator(pkg.maintainer, os),
    supplier: spdxSupplier(os),
    ...(pkg.origin === undefined || pkg.origin === ''
      ? {}
      : { sourceInfo: `built from origin package ${pkg.origin}` }),
    copyrightText: NOASSERTION,
    ...(checksums.length === 0 ? {} : { checksums }),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: apkPurl(pkg, os) },
    ],
  };
}

/** `SPDXRef-OperatingSystem-<id>`: the distribution, as apko lists it. */
export function osSpdxPackage(os: SbomOs): SpdxPackage {
  return {
    SPDXID: `SPDXRef-OperatingSystem-${spdxIdPart(os.id)}`,
    name: os.id,
    ...(os.versionId === undefined || os.versionId === '' ? {} : { versionInfo: os.versionId }),
    filesAnalyzed: false,
    description: os.prettyName ?? 'Operating System',
    downloadLocation: NOASSERTION,
    supplier: spdxSupplier(os),
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}

/** The image configuration's source (`vcs-url`), with a github purl when it is on GitHub. */
export function sourceSpdxPackage(vcsUrl: string, os: SbomOs): SpdxPackage {
  const { name, commit, location } = splitVcsUrl(vcsUrl);
  const github = /^github\.com\/([^/]+)\/([^/]+?)(\.git)?$/.exec(name);
  return {
    SPDXID: `SPDXRef-Package-${spdxIdPart(vcsUrl)}`,
    name,
    ...(commit === undefined ? {} : { versionInfo: commit }),
    filesAnalyzed: false,
    description: 'Image configuration source',
    downloadLocation: location,
    supplier: spdxSupplier(os),
    primaryPackagePurpose: 'SOURCE',
    // A git commit id is a SHA-1 only when written in full.
    ...(commit === undefined || !/^[0-9a-f]{40}$/.test(commit)
      ? {}
      : { checksums: [{ algorithm: 'SHA1', checksumValue: commit }] }),
    ...(github === null
      ? {}
      : {
          externalRefs: [
            {
              referenceCategory: 'PACKAGE-MANAGER',
              referenceType: 'purl',
              referenceLocator: formatPurl({
                type: 'github',
                namespace: github[1]!,
                name: github[2]!,
                ...(commit === undefined ? {} : { version: commit }),
              }),
            },
          ],
        }),
  };
}

/** What a container package (image, per-arch image or index) is made from. */
export interface ContainerPackageInput {
  name: string;
  /** `sha256:<hex>`: the version and the SHA256 checksum. */
  digest?: string;
  purl: string;
  description: string;
  os: SbomOs;
}

/** `SPDXRef-Package-<digest or name>`: an image or index, primary purpose CONTAINER. */
export function containerSpdxPackage(input: ContainerPackageInput): SpdxPackage {
  const hex = input.digest?.startsWith('sha256:') ? input.digest.slice('sha256:'.length) : undefined;
  return {
    SPDXID: `SPDXRef-Package-${spdxIdPart(input.digest ?? input.name)}`,
    name: input.name,
    ...(input.digest === undefined ? {} : { versionInfo: input.digest }),
    filesAnalyzed: false,
    description: input.description,
    downloadLocation: NOASSERTION,
    supplier: spdxSupplier(input.os),
    primaryPackagePurpose: 'CONTAINER',
    ...(hex === undefined ? {} : { checksums: [{ algorithm: 'SHA256', checksumValue: hex }] }),
    externalRefs: [
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: input.purl },
    ],
  };
}
