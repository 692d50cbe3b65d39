// CycloneDX components: apk packages, the operating system and the image.
import { parseQ1Checksum } from '../core/index.js';
import { splitMaintainer, supplierName } from './common.js';
import type { CycloneDxComponent, CycloneDxHash, CycloneDxLicenses } from './cyclonedx-types.js';
import {
  formatLicenseExpression,
  isSpdxLicenseExpression,
  parseLicenseExpression,
} from './license-expression.js';
import type { SbomDocumentInput, SbomOs, SbomPackage } from './model.js';
import { apkPurl, ociPurl } from './purl.js';

/**
 * A CycloneDX license choice for an apk license string: one `expression` when it is a valid
 * SPDX expression of listed ids (or LicenseRefs), else the string as a license `name`; none
 * when absent, blank, NONE or NOASSERTION.
 */
export function cycloneDxLicenses(license: string | undefined): CycloneDxLicenses | undefined {
  const text = license?.trim() ?? '';
  if (text === '' || text === 'NONE' || text === 'NOASSERTION') return undefined;
  const tokens = parseLicenseExpression(text);
  return tokens !== undefined && isSpdxLicenseExpression(text)
    ? [{ expression: formatLicenseExpression(tokens) }]
    : [{ license: { name: text } }];
}

function supplier(os: SbomOs): Pick<CycloneDxComponent, 'supplier'> {
  const name = supplierName(os);
  return name === undefined ? {} : { supplier: { name } };
}

function hashes(pkg: SbomPackage): CycloneDxHash[] {
  const out: CycloneDxHash[] = [];
  const sha1 = pkg.checksum?.control === undefined ? undefined : parseQ1Checksum(pkg.checksum.control);
  if (sha1 !== undefined) out.push({ alg: 'SHA-1', content: sha1.toString('hex') });
  const data = pkg.checksum?.data?.toLowerCase();
  if (data !== undefined && /^[0-9a-f]{64}$/.test(data)) out.push({ alg: 'SHA-256', content: data });
  return out;
}

/** One apk package as a `library` component whose bom-ref is its purl (or `bomRef` when given). */
export function apkComponent(pkg: SbomPackage, os: SbomOs, bomRef?: string): CycloneDxComponent {
  const purl = apkPurl(pkg, os);
  const licenses = cycloneDxLicenses(pkg.license);
  const digests = hashes(pkg);
  const url = pkg.url?.trim();
  const maintainer = pkg.maintainer?.trim();
  const properties = [{ name: 'larder:apk:arch', value: pkg.arch }];
  if (pkg.origin !== undefined && pkg.origin !== '')
    properties.push({ name: 'larder:apk:origin', value: pkg.origin });
  return {
    type: 'library',
    'bom-ref': bomRef ?? purl,
    ...supplier(os),
    ...(maintainer === undefined || maintainer === '' ? {} : { authors: [splitMaintainer(maintainer)] }),
    name: pkg.name,
    version: pkg.version,
    ...(pkg.description === undefined || pkg.description === '' ? {} : { description: pkg.description }),
    ...(digests.length === 0 ? {} : { hashes: digests }),
    ...(licenses === undefined ? {} : { licenses }),
    purl,
    ...(url === undefined || url === '' ? {} : { externalReferences: [{ type: 'website', url }] }),
    properties,
  };
}

/** The distribution as an `operating-system` component. */
export function osComponent(os: SbomOs): CycloneDxComponent {
  const version = os.versionId === undefined || os.versionId === '' ? undefined : os.versionId;
  return {
    type: 'operating-system',
    'bom-ref': `operating-system:${os.id}${version === undefined ? '' : `@${version}`}`,
    ...supplier(os),
    name: os.id,
    ...(version === undefined ? {} : { version }),
    ...(os.prettyName === undefined ? {} : { description: os.prettyName }),
  };
}

/** The image as a `container` component with a `pkg:oci` purl, its digest as SHA-256. */
export function imageComponent(input: SbomDocumentInput): CycloneDxComponent {
  const subject = input.subject;
  const digest = subject?.digest;
  const purl = ociPurl({
    name: input.name,
    ...(digest === undefined ? {} : { digest }),
    ...(subject?.ref === undefined ? {} : { ref: subject.ref }),
    ...(subject?.mediaType === undefined ? {} : { mediaType: subject.mediaType }),
    ...(input.arch === undefined ? {} : { arch: input.arch }),
  });
  const hex = digest?.startsWith('sha256:') ? digest.slice('sha256:'.length) : undefined;
  return {
    type: 'container',
    'bom-ref': purl,
    ...supplier(input.os),
    name: input.name,
    ...(digest === undefined ? {} : { version: digest }),
    description: subject?.kind === 'index' ? 'Multi-arch image index' : 'Container image',
    ...(hex === undefined ? {} : { hashes: [{ alg: 'SHA-256', content: hex }] }),
    purl,
    ...(input.vcsUrl === undefined || input.vcsUrl === ''
      ? {}
      : { externalReferences: [{ type: 'vcs', url: input.vcsUrl }] }),
  };
}
