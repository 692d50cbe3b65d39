/**
 * One CA certificate given as PEM text, read as apko's `parseCertificates` reads the content
 * of `certificates.additional[]` and the certificate files of provider packages.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { decodePem, encodePem } from './pem.js';

/** A certificate that parsed: its DER bytes, its PEM re-encoded, its SHA-256 fingerprint. */
export interface ParsedCertificate {
  readonly der: Buffer;
  /** The block alone, re-encoded (text around it is dropped), ending with a newline. */
  readonly pem: string;
  /** Lower-case hex SHA-256 of the DER bytes. */
  readonly fingerprint: string;
}

/**
 * Parses PEM text that must hold exactly one CERTIFICATE block with a valid X.509 certificate
 * (text before and after the block is ignored). Returns why not otherwise, never throws.
 */
export function parseCertificate(text: string): ParsedCertificate | { readonly problem: string } {
  if (text === '') return { problem: 'no certificate data provided' };
  let found: ParsedCertificate | undefined;
  let rest = text;
  for (;;) {
    const decoded = decodePem(rest);
    if (decoded === undefined) break;
    rest = decoded.rest;
    if (found !== undefined) return { problem: 'multiple certificates found; only one is allowed' };
    const { block } = decoded;
    if (block.type !== 'CERTIFICATE') return { problem: `expected a CERTIFICATE block, got ${block.type}` };
    const problem = x509Problem(block.bytes);
    if (problem !== undefined) return { problem: `the certificate does not parse: ${problem}` };
    found = {
      der: block.bytes,
      pem: encodePem(block),
      fingerprint: createHash('sha256').update(block.bytes).digest('hex'),
    };
  }
  return found ?? { problem: 'no PEM certificate found' };
}

function x509Problem(der: Buffer): string | undefined {
  // Go's x509.ParseCertificate refuses bytes after the certificate; OpenSSL ignores them.
  const length = derLength(der);
  if (length === undefined) return 'not a DER SEQUENCE';
  if (length > der.length) return 'the DER data is cut short';
  if (length < der.length) return 'trailing data after the certificate';
  try {
    new X509Certificate(der);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Total length of the DER SEQUENCE at the start of `der` (header included), if it is one. */
function derLength(der: Buffer): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[2 + i]!;
  return 2 + count + length;
}
