import { constants, createVerify, type KeyObject, publicDecrypt, sign, type Verify } from 'node:crypto';
import type { DigestAlgorithm } from '../core/index.js';
import type { ApkKeyring } from './keyring.js';
import type { ApkSigningKey } from './rsa-key.js';

/** The signature kinds apk-tools 2.14 recognises in `.SIGN.<TYPE>.<keyname>` entry names. */
export type ApkSignatureType = 'RSA' | 'RSA256' | 'RSA512' | 'DSA';

/** One `.SIGN.*` entry of a signature member. */
export interface ApkSignatureEntry {
  readonly type: ApkSignatureType;
  readonly keyName: string;
  readonly signature: Buffer;
}

const DIGEST_OF: Record<Exclude<ApkSignatureType, 'DSA'>, DigestAlgorithm> = {
  RSA: 'sha1',
  RSA256: 'sha256',
  RSA512: 'sha512',
};

/** The digest a signature type signs with; undefined for DSA, which larder does not verify. */
export function signatureDigest(type: ApkSignatureType): DigestAlgorithm | undefined {
  return type === 'DSA' ? undefined : DIGEST_OF[type];
}

/**
 * Splits a `.SIGN.<TYPE>.<keyname>` entry name; undefined when it is not a signature name or
 * the type is unknown (apk-tools requires the type to be followed by `.`).
 */
export function parseSignatureName(name: string): { type: ApkSignatureType; keyName: string } | undefined {
  if (!name.startsWith('.SIGN.')) return undefined;
  const rest = name.slice('.SIGN.'.length);
  for (const type of ['RSA512', 'RSA256', 'RSA', 'DSA'] as const) {
    if (rest.startsWith(`${type}.`) && rest.length > type.length + 1)
      return { type, keyName: rest.slice(type.length + 1) };
  }
  return undefined;
}

/** The entry name larder writes: RSA256 named after the key file, `.SIGN.RSA256.<key>.pub`. */
export function signatureEntryName(key: ApkSigningKey): string {
  return `.SIGN.RSA256.${key.keyName}.pub`;
}

/** PKCS#1 v1.5 RSA signature over `data` with SHA-256 (what melange writes today). */
export function signRsa256(key: ApkSigningKey, data: Uint8Array): Buffer {
  return sign('sha256', data, key.privateKey);
}

/** The signature apk-tools would check, or why none can be checked. */
export type SignaturePick =
  | {
      readonly found: true;
      readonly entry: ApkSignatureEntry;
      readonly key: KeyObject;
      readonly algorithm: DigestAlgorithm;
    }
  | { readonly found: false; readonly reason: string };

/**
 * Picks the signature as apk-tools 2.14 does: the first entry, in archive order, of a known
 * RSA type whose key file is in the keyring; later entries are ignored.
 */
export function pickSignature(entries: readonly ApkSignatureEntry[], keyring: ApkKeyring): SignaturePick {
  for (const entry of entries) {
    const algorithm = signatureDigest(entry.type);
    const key = keyring.keys.get(entry.keyName);
    if (algorithm !== undefined && key !== undefined) return { found: true, entry, key, algorithm };
  }
  const offered = [...keyring.keys.keys()].sort();
  const signedWith = entries.map((e) => `.SIGN.${e.type}.${e.keyName}`);
  return {
    found: false,
    reason:
      entries.length === 0
        ? 'not signed'
        : `signed with ${signedWith.join(', ')}; no such key in the keyring (${offered.length ? offered.join(', ') : 'empty'})`,
  };
}

/** Starts verifying a picked signature; feed the signed bytes with `update`, then call `verify`. */
export function startVerify(algorithm: DigestAlgorithm): Verify {
  return createVerify(algorithm);
}

/** Verifies a signature over bytes held in memory. */
export function verifySignature(
  pick: { entry: ApkSignatureEntry; key: KeyObject; algorithm: DigestAlgorithm },
  data: Uint8Array,
): boolean {
  return createVerify(pick.algorithm).update(data).verify(pick.key, pick.entry.signature);
}

/**
 * Tells a signature made by a different key of the same file name from one over other bytes.
 * Opening a PKCS#1 v1.5 signature with the right public key always yields valid type-1
 * padding; with the wrong key it yields noise. apk-tools reports both as a BAD signature;
 * larder calls the first UNTRUSTED (the signer's key is not in the keyring) and only the
 * second BAD (the signed content was altered).
 */
export function failedSignatureVerdict(pick: { entry: ApkSignatureEntry; key: KeyObject }): {
  verdict: 'bad' | 'untrusted';
  reason: string;
} {
  const name = `.SIGN.${pick.entry.type}.${pick.entry.keyName}`;
  const bits = pick.key.asymmetricKeyDetails?.modulusLength ?? 0;
  let sameKey = pick.entry.signature.length * 8 === bits;
  if (sameKey) {
    try {
      publicDecrypt({ key: pick.key, padding: constants.RSA_PKCS1_PADDING }, pick.entry.signature);
    } catch {
      sameKey = false;
    }
  }
  return sameKey
    ? {
        verdict: 'bad',
        reason: `signature ${name} does not match the signed content (altered after signing)`,
      }
    : {
        verdict: 'untrusted',
        reason: `signed with ${name} by a different key than the keyring's ${pick.entry.keyName}`,
      };
}
