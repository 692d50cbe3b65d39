import type { KeyObject } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import type { SigningAlgorithm } from './key-types.js';

/** ECDSA on P-256 or RSA of at least 2048 bits; anything else is refused with KEY_INVALID. */
export function algorithmOf(key: KeyObject, subject?: string): SigningAlgorithm {
  const where = subject === undefined ? {} : { subject };
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve === 'prime256v1') return 'ecdsa-p256-sha256';
    throw new LarderError(
      'KEY_INVALID',
      `ECDSA key on curve ${details.namedCurve}: only P-256 is supported`,
      where,
    );
  }
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) >= 2048) return 'rsa-pkcs1v15-sha256';
    throw new LarderError(
      'KEY_INVALID',
      `RSA key of ${details.modulusLength} bits: at least 2048 are required`,
      where,
    );
  }
  throw new LarderError(
    'KEY_INVALID',
    `${key.asymmetricKeyType ?? 'unknown'} key: only ECDSA P-256 and RSA keys are supported`,
    where,
  );
}
