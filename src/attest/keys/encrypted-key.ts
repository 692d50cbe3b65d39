import { createPrivateKey, type KeyObject, randomBytes, scryptSync } from 'node:crypto';
import nacl from 'tweetnacl';
import { LarderError } from '../../core/index.js';

/** PEM labels of cosign's password-protected private keys (current first). */
export const ENCRYPTED_KEY_LABELS = [
  'ENCRYPTED SIGSTORE PRIVATE KEY',
  'ENCRYPTED COSIGN PRIVATE KEY',
] as const;

/** The scrypt cost parameters cosign writes and reads; others are refused (a DoS guard). */
const ALLOWED_SCRYPT: readonly (readonly [number, number, number])[] = [
  [32768, 8, 1],
  [65536, 8, 1],
  [131072, 8, 1],
];
const DEFAULT_SCRYPT = { N: 65536, r: 8, p: 1 } as const;

interface EncryptedKeyJson {
  kdf: { name: string; params: { N: number; r: number; p: number }; salt: string };
  cipher: { name: string; nonce: string };
  ciphertext: string;
}

function deriveKey(password: string, salt: Uint8Array, N: number, r: number, p: number): Buffer {
  return scryptSync(Buffer.from(password, 'utf8'), salt, 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
}

/**
 * Wraps a private key the way `cosign generate-key-pair` does: PKCS#8 DER, sealed with NaCl
 * secretbox under an scrypt-derived key, as JSON inside an `ENCRYPTED SIGSTORE PRIVATE KEY` PEM.
 */
export function encryptPrivateKey(key: KeyObject, password: string): string {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const { N, r, p } = DEFAULT_SCRYPT;
  const sealed = nacl.secretbox(
    new Uint8Array(der),
    new Uint8Array(nonce),
    deriveKey(password, salt, N, r, p),
  );
  const doc: EncryptedKeyJson = {
    kdf: { name: 'scrypt', params: { N, r, p }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(sealed).toString('base64'),
  };
  const body = Buffer.from(JSON.stringify(doc), 'utf8').toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${ENCRYPTED_KEY_LABELS[0]}-----\n${lines.join('\n')}\n-----END ${ENCRYPTED_KEY_LABELS[0]}-----\n`;
}

function invalid(message: string, subject: string | undefined, cause?: unknown): LarderError {
  return new LarderError('KEY_INVALID', message, {
    ...(subject === undefined ? {} : { subject }),
    ...(cause === undefined ? {} : { cause }),
  });
}

function base64Field(value: unknown, what: string, subject: string | undefined): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw invalid(`encrypted key: ${what} is not a base64 string`, subject);
  }
  return Buffer.from(value, 'base64');
}

function parseJson(body: Buffer, subject: string | undefined): Record<string, unknown> {
  try {
    const doc: unknown = JSON.parse(body.toString('utf8'));
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) return doc as Record<string, unknown>;
  } catch (err) {
    throw invalid('encrypted key: the PEM body is not JSON', subject, err);
  }
  throw invalid('encrypted key: the PEM body is not a JSON object', subject);
}

function field(obj: unknown, name: string): unknown {
  return obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[name] : undefined;
}

/**
 * Opens a cosign encrypted key body (the PEM body bytes: JSON). A wrong password fails with
 * KEY_PASSWORD_WRONG; a malformed document with KEY_INVALID.
 */
export function decryptPrivateKey(body: Buffer, password: string, subject?: string): KeyObject {
  const doc = parseJson(body, subject);
  const kdf = doc.kdf;
  const cipher = doc.cipher;
  if (field(kdf, 'name') !== 'scrypt')
    throw invalid(`encrypted key: kdf '${String(field(kdf, 'name'))}' is not scrypt`, subject);
  if (field(cipher, 'name') !== 'nacl/secretbox') {
    throw invalid(`encrypted key: cipher '${String(field(cipher, 'name'))}' is not nacl/secretbox`, subject);
  }
  const params = field(kdf, 'params');
  const N = field(params, 'N');
  const r = field(params, 'r');
  const p = field(params, 'p');
  if (!ALLOWED_SCRYPT.some(([n, rr, pp]) => n === N && rr === r && pp === p)) {
    throw invalid(
      `encrypted key: scrypt parameters N=${String(N)} r=${String(r)} p=${String(p)} are not one of cosign's`,
      subject,
    );
  }
  const salt = base64Field(field(kdf, 'salt'), 'kdf.salt', subject);
  const nonce = base64Field(field(cipher, 'nonce'), 'cipher.nonce', subject);
  const ciphertext = base64Field(doc.ciphertext, 'ciphertext', subject);
  if (nonce.length !== 24) throw invalid(`encrypted key: nonce is ${nonce.length} bytes, not 24`, subject);
  const key = deriveKey(password, salt, N as number, r as number, p as number);
  const plain = nacl.secretbox.open(new Uint8Array(ciphertext), new Uint8Array(nonce), new Uint8Array(key));
  if (plain === null) {
    throw new LarderError(
      'KEY_PASSWORD_WRONG',
      'encrypted key: wrong password, or the key file is corrupted',
      {
        ...(subject === undefined ? {} : { subject }),
      },
    );
  }
  try {
    return createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw invalid('encrypted key: the decrypted bytes are not a PKCS#8 private key', subject, err);
  }
}
