import { LarderError } from '../../core/index.js';
import type { SigningKey, VerifyingKey } from '../keys/index.js';
import { signBytes, verifyBytes } from '../keys/index.js';
import { pae } from './pae.js';

/** Media type of a DSSE envelope blob (`.att` layers, bundle content). */
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';

export interface DsseSignature {
  readonly keyid: string;
  /** Standard (or, when read, URL-safe) base64 of the signature bytes. */
  readonly sig: string;
}

/** A DSSE envelope as JSON: `payload` is base64 of the body. */
export interface DsseEnvelope {
  readonly payloadType: string;
  readonly payload: string;
  readonly signatures: readonly DsseSignature[];
}

/** Signs `body` over PAE(payloadType, body); standard base64 with padding throughout. */
export function signEnvelope(
  key: SigningKey,
  payloadType: string,
  body: Uint8Array,
  options: { keyid?: string } = {},
): DsseEnvelope {
  return {
    payloadType,
    payload: Buffer.from(body).toString('base64'),
    signatures: [
      { keyid: options.keyid ?? '', sig: signBytes(key, pae(payloadType, body)).toString('base64') },
    ],
  };
}

const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

/** Decodes standard or URL-safe base64; undefined if it is neither. */
function decodeBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  return Buffer.from(text.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
}

function invalid(message: string, cause?: unknown): LarderError {
  return new LarderError(
    'ENVELOPE_INVALID',
    `DSSE envelope: ${message}`,
    cause === undefined ? {} : { cause },
  );
}

/** Parses envelope JSON (unknown fields ignored); ENVELOPE_INVALID when a required field is wrong. */
export function parseEnvelope(bytes: Uint8Array | string): DsseEnvelope {
  let doc: unknown;
  try {
    doc = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw invalid('not JSON', err);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('not a JSON object');
  const { payloadType, payload, signatures } = doc as Record<string, unknown>;
  if (typeof payloadType !== 'string') throw invalid('payloadType is not a string');
  if (typeof payload !== 'string' || decodeBase64(payload) === undefined)
    throw invalid('payload is not base64');
  if (!Array.isArray(signatures)) throw invalid('signatures is not an array');
  const sigs = signatures.map((s: unknown, i): DsseSignature => {
    if (s === null || typeof s !== 'object') throw invalid(`signatures[${i}] is not an object`);
    const { keyid, sig } = s as Record<string, unknown>;
    if (typeof sig !== 'string' || decodeBase64(sig) === undefined)
      throw invalid(`signatures[${i}].sig is not base64`);
    if (keyid !== undefined && typeof keyid !== 'string')
      throw invalid(`signatures[${i}].keyid is not a string`);
    return { keyid: keyid ?? '', sig };
  });
  return { payloadType, payload, signatures: sigs };
}

/** What a verified envelope yields: the exact bytes that were verified. */
export interface VerifiedEnvelope {
  readonly payloadType: string;
  readonly payload: Buffer;
  /** Indexes into `keys` of the keys that verified some signature (distinct keys, for thresholds). */
  readonly keys: readonly number[];
}

/**
 * Verifies an envelope: some signature must verify over PAE with one of `keys` (keyid is only a
 * hint and is not trusted), then `payloadType` must equal `expectedPayloadType` when given.
 * SIGNATURE_BAD / ENVELOPE_INVALID with the reason otherwise.
 */
export function verifyEnvelope(
  envelope: DsseEnvelope,
  keys: readonly VerifyingKey[],
  options: { expectedPayloadType?: string } = {},
): VerifiedEnvelope {
  const body = decodeBase64(envelope.payload);
  if (body === undefined) throw invalid('payload is not base64');
  if (envelope.signatures.length === 0)
    throw new LarderError('SIGNATURE_BAD', 'the DSSE envelope has no signatures');
  const message = pae(envelope.payloadType, body);
  const verified = new Set<number>();
  for (const s of envelope.signatures) {
    const sig = decodeBase64(s.sig);
    if (sig === undefined) continue;
    keys.forEach((key, i) => {
      if (!verified.has(i) && verifyBytes(key, message, sig)) verified.add(i);
    });
  }
  if (verified.size === 0) {
    throw new LarderError(
      'SIGNATURE_BAD',
      `none of the envelope's ${envelope.signatures.length} signature(s) verifies with the given key(s)`,
    );
  }
  if (options.expectedPayloadType !== undefined && envelope.payloadType !== options.expectedPayloadType) {
    throw invalid(`payloadType '${envelope.payloadType}' is not '${options.expectedPayloadType}'`);
  }
  return { payloadType: envelope.payloadType, payload: body, keys: [...verified].sort((a, b) => a - b) };
}

/** Compact JSON of an envelope in the field order cosign and sigstore-js write. */
export function serializeEnvelope(envelope: DsseEnvelope): Buffer {
  return Buffer.from(
    JSON.stringify({
      payloadType: envelope.payloadType,
      payload: envelope.payload,
      signatures: envelope.signatures.map((s) => ({ keyid: s.keyid, sig: s.sig })),
    }),
    'utf8',
  );
}
