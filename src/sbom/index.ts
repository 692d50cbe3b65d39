/**
 * SBOMs: SPDX 2.3 and CycloneDX 1.6 documents written from one package-list model. This
 * module knows nothing of apk files or OCI blobs; callers fill the model.
 */

/** The CycloneDX 1.6 document of one image (`sbom-<arch>.cdx.json`). */
export { toCycloneDxDocument } from './cyclonedx.js';
export type { CycloneDxComponent, CycloneDxDocument, CycloneDxLicenses } from './cyclonedx-types.js';
/** JSON bytes of a document, and apko's SBOM file names. */
export { formatJson, type SbomFormat, sbomFileName } from './json.js';
/** SPDX license expressions: parse, and check against the SPDX License List. */
export { isSpdxLicenseExpression, type LicenseToken, parseLicenseExpression } from './license-expression.js';
export type {
  SbomDocumentInput,
  SbomIndexImage,
  SbomIndexInput,
  SbomOs,
  SbomPackage,
  SbomSubject,
} from './model.js';
/** Package URLs for apk packages and OCI images. */
export {
  apkPurl,
  encodePurlComponent,
  formatPurl,
  type OciPurlInput,
  ociPurl,
  type PurlParts,
} from './purl.js';
/** The SPDX 2.3 document of one image (`sbom-<arch>.spdx.json`). */
export { toSpdxDocument } from './spdx.js';
/** The SPDX 2.3 document of a multi-arch index (`sbom-index.spdx.json`). */
export { toSpdxIndexDocument } from './spdx-index.js';
/** The version of the SPDX License List larder checks identifiers against. */
export { SPDX_LICENSE_LIST_VERSION } from './spdx-license-ids.js';
export type { SpdxDocument, SpdxExtractedLicense, SpdxPackage, SpdxRelationship } from './spdx-types.js';
