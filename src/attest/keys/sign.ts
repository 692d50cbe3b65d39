import { createHash, sign, verify } from 'node:crypto';
import type { SigningKey, VerifyingKey } from './key-types.js';

/** Signs SHA-256 of `data`: ECDSA gives ASN.1 DER (what cosign expects), RSA PKCS#1 v1.5. */
export function signBytes(key: SigningKey, data: Uint8Array): Buffer {
  return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'der' });
}

/** True when `signature` (DER for ECDSA; raw r||s is rejected) is valid over SHA-256 of `data`. */
export function verifyBytes(key: VerifyingKey, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', data, { key: key.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** cosign's key hint: standard base64 of SHA-256 over the SPKI DER of the public key. */
export function keyHint(key: VerifyingKey): string {
  return createHash('sha256')
    .update(key.publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64');
}
