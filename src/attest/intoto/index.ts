export { signStatement, verifyAttestation } from './attestation.js';
export { PREDICATE_TYPES, predicateTypeFor } from './predicate-types.js';
export { type ProvenanceInput, SLSA_PROVENANCE_V1, slsaProvenanceV1 } from './slsa-provenance.js';
export {
  IN_TOTO_PAYLOAD_TYPE,
  imageSubject,
  makeStatement,
  parseStatement,
  type ResourceDescriptor,
  STATEMENT_V1,
  STATEMENT_V01,
  type Statement,
  serializeStatement,
  statementCoversDigest,
} from './statement.js';
