export { goJson } from './go-json.js';
export {
  COSIGN_SIGNATURE_TYPE,
  parseSimpleSigningPayload,
  SIMPLE_SIGNING_MEDIA_TYPE,
  type SimpleSigningClaims,
  simpleSigningPayload,
} from './payload.js';
export { type SignedPayload, signImage, verifyImageSignature } from './sign.js';
