// The part of CycloneDX 1.6 JSON (bom-1.6.schema.json) larder writes. Key order in these
// objects is the order they are built in, which is fixed, so the JSON text is stable.

export interface CycloneDxHash {
  alg: 'SHA-1' | 'SHA-256';
  content: string;
}

/** Either one SPDX expression, or named licenses (the schema's `licenseChoice`). */
export type CycloneDxLicenses = [{ expression: string }] | Array<{ license: { name: string } }>;

export interface CycloneDxComponent {
  type: 'application' | 'container' | 'library' | 'operating-system';
  'bom-ref'?: string;
  supplier?: { name: string };
  authors?: Array<{ name: string; email?: string }>;
  name: string;
  version?: string;
  description?: string;
  hashes?: CycloneDxHash[];
  licenses?: CycloneDxLicenses;
  purl?: string;
  externalReferences?: Array<{ type: 'website' | 'vcs'; url: string }>;
  properties?: Array<{ name: string; value: string }>;
}

export interface CycloneDxDependency {
  ref: string;
  dependsOn: string[];
}

export interface CycloneDxDocument {
  bomFormat: 'CycloneDX';
  specVersion: '1.6';
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: CycloneDxComponent[] };
    component: CycloneDxComponent;
  };
  components: CycloneDxComponent[];
  dependencies: CycloneDxDependency[];
}
