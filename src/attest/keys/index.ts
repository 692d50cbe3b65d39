export { decryptPrivateKey, ENCRYPTED_KEY_LABELS, encryptPrivateKey } from './encrypted-key.js';
export { generateEcdsaP256Key, keyPairPem, writeEcdsaKeyPair } from './generate.js';
export { readSigningKeyFile, readVerifyingKeyFile } from './key-file.js';
export type { SigningAlgorithm, SigningKey, VerifyingKey } from './key-types.js';
export { loadSigningKey, loadVerifyingKey, passwordFromEnv } from './load-key.js';
export { keyHint, signBytes, verifyBytes } from './sign.js';
