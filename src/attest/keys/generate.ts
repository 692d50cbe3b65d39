import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import { encryptPrivateKey } from './encrypted-key.js';
import type { SigningKey } from './key-types.js';

/** A fresh ECDSA P-256 key pair in memory. */
export function generateEcdsaP256Key(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { algorithm: 'ecdsa-p256-sha256', privateKey, publicKey };
}

/** PEM texts of a key pair: PKCS#8 `PRIVATE KEY` (or cosign's encrypted form) and SPKI `PUBLIC KEY`. */
export function keyPairPem(
  key: SigningKey,
  options: { password?: string } = {},
): { privatePem: string; publicPem: string } {
  const privatePem =
    options.password === undefined
      ? (key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)
      : encryptPrivateKey(key.privateKey, options.password);
  return { privatePem, publicPem: key.publicKey.export({ format: 'pem', type: 'spki' }) as string };
}

/**
 * Generates an ECDSA P-256 key pair and writes `NAME.key` (mode 0600) and `NAME.pub` into `dir`,
 * cosign's file names. With `password` the private key is written in cosign's encrypted form.
 */
export async function writeEcdsaKeyPair(
  name: string,
  options: { dir?: string; password?: string } = {},
): Promise<{ privateKeyPath: string; publicKeyPath: string }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9@._+-]*$/.test(name)) {
    throw new LarderError('USAGE', `key name '${name}': use letters, digits and @ . _ + - (no '/')`);
  }
  const { privatePem, publicPem } = keyPairPem(
    generateEcdsaP256Key(),
    options.password === undefined ? {} : { password: options.password },
  );
  const dir = options.dir ?? '.';
  const privateKeyPath = join(dir, `${name}.key`);
  const publicKeyPath = join(dir, `${name}.pub`);
  await writeFileAtomic(privateKeyPath, privatePem, { mode: 0o600 });
  await writeFileAtomic(publicKeyPath, publicPem, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath };
}
