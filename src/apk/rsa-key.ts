import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LarderError, writeFileAtomic } from '../core/index.js';

/** An APK signing key: a PKCS#1 RSA private key and the name apk uses to find its public half. */
export interface ApkSigningKey {
  /** The private key file's basename, e.g. `melange.rsa`; signatures name `<keyName>.pub`. */
  readonly keyName: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** The smallest RSA modulus accepted, as melange refuses fewer than 2048 bits. */
export const MIN_RSA_BITS = 2048;
/** The default modulus, as melange and abuild generate. */
export const DEFAULT_RSA_BITS = 4096;

/**
 * Generates an RSA key pair and writes `NAME.rsa` (PKCS#1 `RSA PRIVATE KEY`, mode 0600) and
 * `NAME.rsa.pub` (SPKI `PUBLIC KEY`), the file names apk-tools and melange use.
 * Returns the two paths written.
 */
export async function generateApkKeyPair(
  name: string,
  options: { dir?: string; bits?: number } = {},
): Promise<{ privateKeyPath: string; publicKeyPath: string }> {
  const bits = options.bits ?? DEFAULT_RSA_BITS;
  if (!/^[A-Za-z0-9][A-Za-z0-9@._+-]*$/.test(name)) {
    throw new LarderError('USAGE', `key name '${name}': use letters, digits and @ . _ + - (no '/')`);
  }
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS) {
    throw new LarderError('USAGE', `key size ${bits}: at least ${MIN_RSA_BITS} bits are required`);
  }
  const { privateKey, publicKey } = await new Promise<{ privateKey: string; publicKey: string }>(
    (resolve, reject) =>
      generateKeyPair(
        'rsa',
        {
          modulusLength: bits,
          publicExponent: 65537,
          privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        },
        (err, pub, priv) => (err ? reject(err) : resolve({ privateKey: priv, publicKey: pub })),
      ),
  );
  const dir = options.dir ?? '.';
  const privateKeyPath = join(dir, `${name}.rsa`);
  const publicKeyPath = join(dir, `${name}.rsa.pub`);
  await writeFileAtomic(privateKeyPath, privateKey, { mode: 0o600 });
  await writeFileAtomic(publicKeyPath, publicKey, { mode: 0o644 });
  return { privateKeyPath, publicKeyPath };
}

/** Reads an RSA private key (PKCS#1 or PKCS#8 PEM) for signing packages and indexes. */
export async function loadApkSigningKey(path: string): Promise<ApkSigningKey> {
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw new LarderError('IO', `cannot read signing key ${path}: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  return parseApkSigningKey(pem, basename(path), path);
}

/** Parses an RSA private key from PEM bytes; `keyName` is the private key file's basename. */
export function parseApkSigningKey(
  pem: Uint8Array | string,
  keyName: string,
  source = keyName,
): ApkSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(pem), format: 'pem' });
  } catch (err) {
    throw new LarderError('KEY_INVALID', `${source}: not a PEM private key (${(err as Error).message})`, {
      cause: err,
      subject: source,
    });
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new LarderError(
      'KEY_INVALID',
      `${source}: APK signing keys are RSA, this is ${privateKey.asymmetricKeyType}`,
      {
        subject: source,
      },
    );
  }
  return { keyName, privateKey, publicKey: createPublicKey(privateKey) };
}

/** The SPKI PEM of a signing key's public half, as written to `NAME.rsa.pub`. */
export function publicKeyPem(key: ApkSigningKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
