// The part of SPDX 2.3 JSON (spdx-schema.json) larder writes. Key order in these objects is
// the order they are built in, which is fixed, so the JSON text is stable.

export interface SpdxChecksum {
  algorithm: 'SHA1' | 'SHA256';
  checksumValue: string;
}

export interface SpdxExternalRef {
  referenceCategory: 'PACKAGE-MANAGER';
  referenceType: 'purl';
  referenceLocator: string;
}

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  filesAnalyzed: false;
  licenseConcluded?: string;
  licenseDeclared?: string;
  description?: string;
  downloadLocation: string;
  homepage?: string;
  originator?: string;
  supplier?: string;
  sourceInfo?: string;
  copyrightText?: string;
  primaryPackagePurpose?: 'CONTAINER' | 'OPERATING_SYSTEM' | 'SOURCE';
  checksums?: SpdxChecksum[];
  externalRefs?: SpdxExternalRef[];
}

export type SpdxRelationshipType = 'DESCRIBES' | 'CONTAINS' | 'DEPENDS_ON' | 'GENERATED_FROM' | 'VARIANT_OF';

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: SpdxRelationshipType;
  relatedSpdxElement: string;
}

export interface SpdxExtractedLicense {
  licenseId: string;
  extractedText: string;
  name?: string;
  comment?: string;
}

export interface SpdxDocument {
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  spdxVersion: 'SPDX-2.3';
  creationInfo: { created: string; creators: string[]; licenseListVersion: string };
  dataLicense: 'CC0-1.0';
  documentNamespace: string;
  documentDescribes: string[];
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
  hasExtractedLicensingInfos?: SpdxExtractedLicense[];
}
