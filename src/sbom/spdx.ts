// The image-level SPDX 2.3 document (`sbom-<arch>.spdx.json`).
import { compareText, contentUuid, sbomTimestamp } from './common.js';
import type { SbomDocumentInput, SbomPackage } from './model.js';
import { sortPackages } from './package-list.js';
import { ociPurl, splitImageRef } from './purl.js';
import type { LicenseRefs } from './spdx-license.js';
import { SPDX_LICENSE_LIST_VERSION } from './spdx-license-ids.js';
import {
  apkSpdxPackage,
  containerSpdxPackage,
  osSpdxPackage,
  sourceSpdxPackage,
  spdxIdPart,
} from './spdx-packages.js';
import type { SpdxDocument, SpdxPackage, SpdxRelationship, SpdxRelationshipType } from './spdx-types.js';

/** The sorted package list, each with a unique SPDXID derived from name, version and arch. */
function withSpdxIds(packages: readonly SbomPackage[]): Array<{ id: string; pkg: SbomPackage }> {
  const used = new Set<string>();
  return sortPackages(packages).map((pkg) => {
    const base = `SPDXRef-Package-${spdxIdPart(`${pkg.name}-${pkg.version}-${pkg.arch}`)}`;
    // Distinct names can map to one id (`a:b` and `a-b`): number the later ones.
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
    used.add(id);
    return { id, pkg };
  });
}

/** Creation info, namespace and the closing content hash shared by both SPDX documents. */
export function finishSpdxDocument(
  parts: Omit<SpdxDocument, 'SPDXID' | 'spdxVersion' | 'creationInfo' | 'dataLicense' | 'documentNamespace'>,
  created: Date | number,
  toolVersion: string,
  slug: string,
  refs: LicenseRefs,
): SpdxDocument {
  const infos = [...refs.values()].sort((a, b) => compareText(a.licenseId, b.licenseId));
  const doc: SpdxDocument = {
    SPDXID: 'SPDXRef-DOCUMENT',
    name: parts.name,
    spdxVersion: 'SPDX-2.3',
    creationInfo: {
      created: sbomTimestamp(created),
      creators: [`Tool: larder (${toolVersion})`],
      licenseListVersion: SPDX_LICENSE_LIST_VERSION,
    },
    dataLicense: 'CC0-1.0',
    documentNamespace: '',
    documentDescribes: parts.documentDescribes,
    packages: parts.packages,
    relationships: parts.relationships,
    ...(infos.length === 0 ? {} : { hasExtractedLicensingInfos: infos }),
  };
  // The namespace must be unique per document, yet reproducible: hash everything but the time.
  const uuid = contentUuid({ ...doc, creationInfo: { ...doc.creationInfo, created: undefined } });
  doc.documentNamespace = `https://spdx.org/spdxdocs/larder/${encodeURIComponent(slug)}-${uuid}`;
  return doc;
}

/**
 * The SPDX 2.3 document of one image: the image package (primary purpose CONTAINER, purl
 * `pkg:oci/…`) that the document DESCRIBES and that CONTAINS the operating system and every
 * apk package (purl `pkg:apk/…`); DEPENDS_ON between packages; GENERATED_FROM the `vcs-url`.
 * The same input always gives the same document; only `created` depends on the time.
 */
export function toSpdxDocument(input: SbomDocumentInput): SpdxDocument {
  const refs: LicenseRefs = new Map();
  const digest = input.subject?.digest;
  const root = containerSpdxPackage({
    name: input.name,
    ...(digest === undefined ? {} : { digest }),
    purl: ociPurl({
      name: input.name,
      ...(digest === undefined ? {} : { digest }),
      ...(input.subject?.ref === undefined ? {} : { ref: input.subject.ref }),
      ...(input.subject?.mediaType === undefined ? {} : { mediaType: input.subject.mediaType }),
      ...(input.arch === undefined ? {} : { arch: input.arch }),
    }),
    description: input.subject?.kind === 'index' ? 'Multi-arch image index' : 'Container image',
    os: input.os,
  });
  const os = osSpdxPackage(input.os);
  const packages: SpdxPackage[] = [root, os];
  const relationships: SpdxRelationship[] = [];
  const relate = (from: string, type: SpdxRelationshipType, to: string): void => {
    relationships.push({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });
  };
  relate('SPDXRef-DOCUMENT', 'DESCRIBES', root.SPDXID);
  relate(root.SPDXID, 'CONTAINS', os.SPDXID);
  if (input.vcsUrl !== undefined && input.vcsUrl !== '') {
    const source = sourceSpdxPackage(input.vcsUrl, input.os);
    packages.push(source);
    relate(root.SPDXID, 'GENERATED_FROM', source.SPDXID);
  }
  const apks = withSpdxIds(input.packages);
  const idsByName = new Map<string, string[]>();
  for (const { id, pkg } of apks) {
    packages.push(apkSpdxPackage(id, pkg, input.os, refs));
    relate(root.SPDXID, 'CONTAINS', id);
    idsByName.set(pkg.name, [...(idsByName.get(pkg.name) ?? []), id]);
  }
  for (const { id, pkg } of apks) {
    const targets = new Set((pkg.dependsOn ?? []).flatMap((name) => idsByName.get(name) ?? []));
    for (const target of [...targets].sort(compareText)) if (target !== id) relate(id, 'DEPENDS_ON', target);
  }
  const slug = `${splitImageRef(input.name).name}${input.arch === undefined ? '' : `-${input.arch}`}`;
  const name = `sbom-${digest ?? input.name}`;
  return finishSpdxDocument(
    { name, documentDescribes: [root.SPDXID], packages, relationships },
    input.created,
    input.toolVersion,
    slug,
    refs,
  );
}
