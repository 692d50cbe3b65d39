/**
 * The key files `--key` names: a private key (PKCS#8 PEM or cosign's encrypted form, password from
 * LARDER_PASSWORD or COSIGN_PASSWORD) or a public key (`cosign.pub` form); errors name the file.
 */
export { readSigningKeyFile, readVerifyingKeyFile } from '../attest/index.js';
