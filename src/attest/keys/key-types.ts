import type { KeyObject } from 'node:crypto';

/** The signature algorithms larder signs and verifies OCI artifacts with. */
export type SigningAlgorithm = 'ecdsa-p256-sha256' | 'rsa-pkcs1v15-sha256';

/** A private key ready to sign, with the algorithm it implies. */
export interface SigningKey {
  readonly algorithm: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A public key ready to verify, with the algorithm it implies. */
export interface VerifyingKey {
  readonly algorithm: SigningAlgorithm;
  readonly publicKey: KeyObject;
}
