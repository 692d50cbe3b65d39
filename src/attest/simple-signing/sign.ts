import { LarderError } from '../../core/index.js';
import type { SigningKey, VerifyingKey } from '../keys/index.js';
import { signBytes, verifyBytes } from '../keys/index.js';
import { parseSimpleSigningPayload, type SimpleSigningClaims, simpleSigningPayload } from './payload.js';

/** A payload and its signature as they travel in a `.sig` layer: bytes and standard base64. */
export interface SignedPayload {
  readonly payload: Buffer;
  /** The `dev.cosignproject.cosign/signature` annotation value. */
  readonly signature: string;
}

/** Builds the simple-signing payload for the claims and signs it (ECDSA DER, standard base64). */
export function signImage(key: SigningKey, claims: SimpleSigningClaims): SignedPayload {
  const payload = simpleSigningPayload(claims);
  return { payload, signature: signBytes(key, payload).toString('base64') };
}

/**
 * cosign's check of one `.sig` layer: the signature verifies over the payload bytes with the key,
 * then the payload's `docker-manifest-digest` equals `expectedDigest`. Returns the claims;
 * SIGNATURE_BAD with the reason otherwise.
 */
export function verifyImageSignature(
  key: VerifyingKey,
  signed: { readonly payload: Uint8Array; readonly signature: string },
  expectedDigest: string,
): SimpleSigningClaims {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(signed.signature) || signed.signature.length === 0) {
    throw new LarderError('SIGNATURE_BAD', 'the signature is not standard base64');
  }
  if (!verifyBytes(key, signed.payload, Buffer.from(signed.signature, 'base64'))) {
    throw new LarderError('SIGNATURE_BAD', 'the signature does not verify over the payload with this key');
  }
  const claims = parseSimpleSigningPayload(signed.payload);
  if (claims.manifestDigest !== expectedDigest) {
    throw new LarderError(
      'SIGNATURE_BAD',
      `the signature is valid but signs ${claims.manifestDigest}, not the image ${expectedDigest}`,
    );
  }
  return {
    dockerReference: claims.dockerReference,
    manifestDigest: claims.manifestDigest,
    optional: claims.optional,
  };
}
