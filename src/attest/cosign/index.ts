export {
  fetchPayload,
  fetchSignatureLayers,
  MAX_PAYLOAD_SIZE,
  resolveDigest,
  resolveSubjects,
} from './registry-signatures.js';
export { type SignDigestResult, signDigest } from './sign.js';
export {
  MAX_SIGNATURE_LAYERS,
  SIGNATURE_ANNOTATION,
  type SignatureBlob,
  type SignatureImage,
  signatureConfig,
  signatureImage,
  signatureLayer,
  signatureLayers,
  signatureTag,
} from './signature-manifest.js';
export { type DigestVerification, type SignatureVerdict, verifyDigest } from './verify.js';
