import { readFile } from 'node:fs/promises';
import { inFile } from '../../core/index.js';
import type { SigningKey, VerifyingKey } from './key-types.js';
import { loadSigningKey, loadVerifyingKey, passwordFromEnv } from './load-key.js';

/**
 * A private key file (PKCS#8 PEM or cosign's encrypted form, whose password comes from
 * LARDER_PASSWORD or COSIGN_PASSWORD); errors name the file.
 */
export async function readSigningKeyFile(path: string): Promise<SigningKey> {
  const password = passwordFromEnv();
  try {
    const pem = await readFile(path, 'utf8');
    return loadSigningKey(pem, { subject: path, ...(password === undefined ? {} : { password }) });
  } catch (err) {
    throw inFile(path, err);
  }
}

/** A public key file (`cosign.pub` form); errors name the file. */
export async function readVerifyingKeyFile(path: string): Promise<VerifyingKey> {
  try {
    return loadVerifyingKey(await readFile(path, 'utf8'), { subject: path });
  } catch (err) {
    throw inFile(path, err);
  }
}
