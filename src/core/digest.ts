import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** Hex digest of some bytes. */
export function hexDigest(algorithm: DigestAlgorithm, data: Uint8Array | string): string {
  return createHash(algorithm).update(data).digest('hex');
}

/** Raw digest bytes. */
export function rawDigest(algorithm: DigestAlgorithm, data: Uint8Array | string): Buffer {
  return createHash(algorithm).update(data).digest();
}

/** apk's `Q1` + base64(sha1) checksum notation, as used in APKINDEX `C:` and installed DB `Z:`. */
export function q1Checksum(sha1: Uint8Array): string {
  return `Q1${Buffer.from(sha1).toString('base64')}`;
}

/** Parses an apk checksum blob (`Q1<base64>` or `X1<hex>` sha1); undefined when not one. */
export function parseQ1Checksum(text: string): Buffer | undefined {
  if (text.startsWith('Q1') && text.length === 30) {
    const raw = Buffer.from(text.slice(2), 'base64');
    return raw.length === 20 && raw.toString('base64') === text.slice(2) ? raw : undefined;
  }
  if (text.startsWith('X1') && /^[0-9a-f]{40}$/i.test(text.slice(2)))
    return Buffer.from(text.slice(2), 'hex');
  return undefined;
}
