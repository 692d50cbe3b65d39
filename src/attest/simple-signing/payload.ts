import { LarderError } from '../../core/index.js';
import { goJson } from './go-json.js';

/** `critical.type` of every cosign signature payload. */
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';
/** Media type of the payload blob in a `.sig` manifest. */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The claims of a simple-signing payload. */
export interface SimpleSigningClaims {
  /** Repository with registry, e.g. `registry.example.com/team/app`. */
  readonly dockerReference: string;
  /** The signed manifest digest, `sha256:<hex>`. */
  readonly manifestDigest: string;
  /** User annotations (`cosign sign -a k=v`); null when there are none. */
  readonly optional: Readonly<Record<string, unknown>> | null;
}

/**
 * The payload bytes cosign signs, byte for byte as cosign serializes them (Go struct order,
 * compact; `optional` is null or a key-sorted map).
 */
export function simpleSigningPayload(claims: SimpleSigningClaims): Buffer {
  if (!DIGEST.test(claims.manifestDigest)) {
    throw new LarderError('USAGE', `manifest digest '${claims.manifestDigest}': expected sha256:<64 hex>`);
  }
  const critical = goJson({
    identity: { 'docker-reference': claims.dockerReference },
    image: { 'docker-manifest-digest': claims.manifestDigest },
    type: COSIGN_SIGNATURE_TYPE,
  });
  const optional = claims.optional === null ? 'null' : goJson(claims.optional);
  return Buffer.from(`{"critical":${critical},"optional":${optional}}`, 'utf8');
}

function bad(message: string, cause?: unknown): LarderError {
  return new LarderError(
    'PAYLOAD_INVALID',
    `simple-signing payload: ${message}`,
    cause === undefined ? {} : { cause },
  );
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw bad(`${path} is not an object`);
  return value as Record<string, unknown>;
}

/** Parses payload bytes as plain JSON, as cosign's claim verifier does; PAYLOAD_INVALID if malformed. */
export function parseSimpleSigningPayload(
  bytes: Uint8Array,
): SimpleSigningClaims & { readonly type: unknown } {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw bad('not JSON', err);
  }
  const critical = objectAt(objectAt(doc, 'the document').critical, 'critical');
  const ref = objectAt(critical.identity, 'critical.identity')['docker-reference'];
  const digest = objectAt(critical.image, 'critical.image')['docker-manifest-digest'];
  if (typeof ref !== 'string') throw bad('critical.identity.docker-reference is not a string');
  if (typeof digest !== 'string') throw bad('critical.image.docker-manifest-digest is not a string');
  const optional = (doc as Record<string, unknown>).optional;
  return {
    dockerReference: ref,
    manifestDigest: digest,
    type: critical.type,
    optional: optional === undefined || optional === null ? null : objectAt(optional, 'optional'),
  };
}
