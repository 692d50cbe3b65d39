import { LarderError } from '../../core/index.js';

/** cosign `--type` shorthands and the predicate type URIs they stand for. */
export const PREDICATE_TYPES: Readonly<Record<string, string>> = {
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  link: 'https://in-toto.io/Link/v1',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
  custom: 'https://cosign.sigstore.dev/attestation/v1',
};

/** The predicate type URI for a cosign `--type` value: a shorthand, or a URI taken as it is. */
export function predicateTypeFor(type: string): string {
  const known = PREDICATE_TYPES[type];
  if (known !== undefined) return known;
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(type)) return type;
  throw new LarderError(
    'USAGE',
    `predicate type '${type}': use a URI or one of ${Object.keys(PREDICATE_TYPES).join(', ')}`,
  );
}
