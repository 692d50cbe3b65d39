// The index-level SPDX 2.3 document (`sbom-index.spdx.json`), as apko writes for multi-arch builds.
import { compareText } from './common.js';
import type { SbomIndexInput } from './model.js';
import { ociPurl, splitImageRef } from './purl.js';
import { finishSpdxDocument } from './spdx.js';
import type { LicenseRefs } from './spdx-license.js';
import { containerSpdxPackage, sourceSpdxPackage } from './spdx-packages.js';
import type { SpdxDocument, SpdxPackage, SpdxRelationship } from './spdx-types.js';

// apko's per-arch qualifier: an OCI index lists OCI manifests.
const MANIFEST_FOR_INDEX: Readonly<Record<string, string>> = {
  'application/vnd.oci.image.index.v1+json': 'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json':
    'application/vnd.docker.distribution.manifest.v2+json',
};

/**
 * The SPDX 2.3 document of a multi-arch index: it DESCRIBES the index package, and the index
 * is related to each per-arch image package (with its digest as checksum and a `pkg:oci` purl
 * carrying `arch` and `os`) by VARIANT_OF, in apko's direction (index → image). Images are
 * listed in arch order.
 */
export function toSpdxIndexDocument(input: SbomIndexInput): SpdxDocument {
  const { digest, ref, mediaType } = input.subject;
  const common = {
    name: input.name,
    ...(ref === undefined ? {} : { ref }),
  };
  const index = containerSpdxPackage({
    name: input.name,
    digest,
    purl: ociPurl({ ...common, digest, ...(mediaType === undefined ? {} : { mediaType }) }),
    description: 'Multi-arch image index',
    os: input.os,
  });
  const packages: SpdxPackage[] = [index];
  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: index.SPDXID },
  ];
  const manifestType = mediaType === undefined ? undefined : MANIFEST_FOR_INDEX[mediaType];
  const images = [...input.images].sort(
    (a, b) => compareText(a.arch, b.arch) || compareText(a.digest, b.digest),
  );
  for (const image of images) {
    const pkg = containerSpdxPackage({
      name: `${input.name} (${image.arch})`,
      digest: image.digest,
      purl: ociPurl({
        ...common,
        digest: image.digest,
        arch: image.arch,
        ...(manifestType === undefined ? {} : { mediaType: manifestType }),
      }),
      description: `Container image for ${image.arch}`,
      os: input.os,
    });
    if (packages.some((known) => known.SPDXID === pkg.SPDXID)) continue;
    packages.push(pkg);
    relationships.push({
      spdxElementId: index.SPDXID,
      relationshipType: 'VARIANT_OF',
      relatedSpdxElement: pkg.SPDXID,
    });
  }
  if (input.vcsUrl !== undefined && input.vcsUrl !== '') {
    const source = sourceSpdxPackage(input.vcsUrl, input.os);
    packages.push(source);
    relationships.push({
      spdxElementId: index.SPDXID,
      relationshipType: 'GENERATED_FROM',
      relatedSpdxElement: source.SPDXID,
    });
  }
  const refs: LicenseRefs = new Map();
  return finishSpdxDocument(
    { name: `sbom-${digest}`, documentDescribes: [index.SPDXID], packages, relationships },
    input.created,
    input.toolVersion,
    `${splitImageRef(input.name).name}-index`,
    refs,
  );
}
