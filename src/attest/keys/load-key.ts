import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import { decryptPrivateKey, ENCRYPTED_KEY_LABELS } from './encrypted-key.js';
import { algorithmOf } from './key-algorithm.js';
import type { SigningKey, VerifyingKey } from './key-types.js';
import { readPemBlock } from './pem.js';

/** The password for encrypted keys: LARDER_PASSWORD, then COSIGN_PASSWORD; undefined if neither is set. */
export function passwordFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.LARDER_PASSWORD ?? env.COSIGN_PASSWORD;
}

const PLAIN_PRIVATE: Readonly<Record<string, 'pkcs8' | 'sec1' | 'pkcs1'>> = {
  'PRIVATE KEY': 'pkcs8',
  'EC PRIVATE KEY': 'sec1',
  'RSA PRIVATE KEY': 'pkcs1',
};

function parseDer(make: () => KeyObject, what: string, subject: string | undefined): KeyObject {
  try {
    return make();
  } catch (err) {
    throw new LarderError('KEY_INVALID', `${what}: ${(err as Error).message}`, {
      cause: err,
      ...(subject === undefined ? {} : { subject }),
    });
  }
}

/**
 * Reads a private key from PEM text: PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`, PKCS#1
 * `RSA PRIVATE KEY`, or cosign's encrypted JSON form (needs `password`; an empty string is a
 * valid password). ECDSA P-256 or RSA ≥ 2048 only.
 */
export function loadSigningKey(
  pem: string,
  options: { password?: string; subject?: string } = {},
): SigningKey {
  const { subject } = options;
  const block = readPemBlock(pem, subject);
  let privateKey: KeyObject;
  if ((ENCRYPTED_KEY_LABELS as readonly string[]).includes(block.label)) {
    if (options.password === undefined) {
      throw new LarderError(
        'USAGE',
        'the private key is encrypted: set LARDER_PASSWORD (or COSIGN_PASSWORD) to its password',
        subject === undefined ? {} : { subject },
      );
    }
    privateKey = decryptPrivateKey(block.body, options.password, subject);
  } else {
    const type = PLAIN_PRIVATE[block.label];
    if (type === undefined) {
      throw new LarderError('KEY_INVALID', `PEM block '${block.label}' is not a private key`, {
        ...(subject === undefined ? {} : { subject }),
      });
    }
    privateKey = parseDer(
      () => createPrivateKey({ key: block.body, format: 'der', type }),
      `PEM block '${block.label}'`,
      subject,
    );
  }
  const algorithm = algorithmOf(privateKey, subject);
  return { algorithm, privateKey, publicKey: createPublicKey(privateKey) };
}

/** Reads a public key from a PEM `PUBLIC KEY` (SPKI) block: ECDSA P-256 or RSA ≥ 2048. */
export function loadVerifyingKey(pem: string, options: { subject?: string } = {}): VerifyingKey {
  const { subject } = options;
  const block = readPemBlock(pem, subject);
  if (block.label !== 'PUBLIC KEY') {
    throw new LarderError('KEY_INVALID', `PEM block '${block.label}' is not a PUBLIC KEY`, {
      ...(subject === undefined ? {} : { subject }),
    });
  }
  const publicKey = parseDer(
    () => createPublicKey({ key: block.body, format: 'der', type: 'spki' }),
    'PEM block PUBLIC KEY',
    subject,
  );
  return { algorithm: algorithmOf(publicKey, subject), publicKey };
}
