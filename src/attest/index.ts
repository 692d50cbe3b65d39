/** Trust: keys, cosign simple-signing payloads, DSSE envelopes and in-toto statements. */
export {
  decryptPrivateKey,
  ENCRYPTED_KEY_LABELS,
  encryptPrivateKey,
  generateEcdsaP256Key,
  keyHint,
  keyPairPem,
  loadSigningKey,
  loadVerifyingKey,
  passwordFromEnv,
  type SigningAlgorithm,
  type SigningKey,
  signBytes,
  type VerifyingKey,
  verifyBytes,
  writeEcdsaKeyPair,
} from './keys/index.js';
