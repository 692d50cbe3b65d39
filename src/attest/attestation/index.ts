/** Attestations: in-toto Statements in DSSE envelopes attached to an image digest (cosign's `.att` tag). */

export {
  type AttestationForms,
  type AttestDigestOptions,
  type AttestDigestResult,
  attestDigest,
} from './attest.js';
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
