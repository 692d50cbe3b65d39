export {
  DSSE_MEDIA_TYPE,
  type DsseEnvelope,
  type DsseSignature,
  parseEnvelope,
  serializeEnvelope,
  signEnvelope,
  type VerifiedEnvelope,
  verifyEnvelope,
} from './envelope.js';
export { pae } from './pae.js';
