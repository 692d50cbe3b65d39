/**
 * Attestations: in-toto Statements in DSSE envelopes attached to an image digest, in cosign's
 * legacy `.att` tag and as sigstore bundle referrers.
 */

export {
  ATTESTATION_FORMS,
  type AttestationForms,
  type AttestDigestOptions,
  type AttestDigestResult,
  attestDigest,
} from './attest.js';
export { attachAttestationBundle, type BundleAttestation, verifyBundleAttestations } from './bundle.js';
export {
  attachAttestationLegacy,
  attestationLayer,
  attestationTag,
  findLegacyAttestations,
  type LegacyAttachResult,
  type LegacyAttestations,
  PREDICATE_TYPE_ANNOTATION,
} from './legacy.js';
export {
  type AttestationForm,
  type AttestationVerdict,
  type AttestationVerification,
  verifyAttestations,
} from './verify.js';
