export {
  attachEvidence,
  type EvidenceAttestation,
  type EvidenceRecord,
  type EvidenceRequest,
} from './attach-evidence.js';
