import { isLarderError, LarderError } from '../../core/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  type RegistryClient,
  type RepositoryName,
  sha256Digest,
} from '../../oci/index.js';
import { fetchPayload, signatureImage, signatureLayers } from '../cosign/index.js';
import {
  DSSE_MEDIA_TYPE,
  type DsseEnvelope,
  parseEnvelope,
  serializeEnvelope,
  verifyEnvelope,
} from '../dsse/index.js';
import type { VerifyingKey } from '../keys/index.js';

/** The `.att` layer annotation naming the Statement's predicate type. */
export const PREDICATE_TYPE_ANNOTATION = 'predicateType';

/** cosign writes the signature annotation on attestation layers too, empty: the signature is inside. */
const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

/** `sha256-<hex>.att`: the tag cosign's legacy layout stores an image's attestations under. */
export function attestationTag(digest: string): string {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  if (m === null) throw new LarderError('USAGE', `digest '${digest}': expected sha256:<64 hex>`);
  return `sha256-${m[1]}.att`;
}

/** The `.att` layer descriptor for one envelope blob. */
export function attestationLayer(envelope: Uint8Array, predicateType: string): OCIDescriptor {
  return {
    mediaType: DSSE_MEDIA_TYPE,
    size: envelope.length,
    digest: sha256Digest(envelope),
    annotations: { [PREDICATE_TYPE_ANNOTATION]: predicateType, [SIGNATURE_ANNOTATION]: '' },
  };
}

/** What an image's `.att` tag holds. */
export interface LegacyAttestations {
  readonly tag: string;
  /** Digest of the attestation manifest; undefined when the tag does not exist. */
  readonly manifest?: string;
  /** Its layers (one DSSE envelope each), in order. */
  readonly layers: readonly OCIDescriptor[];
}

/** The layers of the attestation manifest at `sha256-<hex>.att`; none when the tag does not exist. */
export async function findLegacyAttestations(
  client: RegistryClient,
  image: RepositoryName,
  digest: string,
): Promise<LegacyAttestations> {
  const tag = attestationTag(digest);
  try {
    const got = await client.getManifest(image, tag);
    return { tag, manifest: got.digest, layers: signatureLayers(got.bytes) };
  } catch (err) {
    if (isLarderError(err, 'FETCH_NOT_FOUND')) return { tag, layers: [] };
    throw err;
  }
}

/** What attaching one envelope to the `.att` tag did. */
export interface LegacyAttachResult {
  readonly tag: string;
  /** Digest of the attestation manifest now at the tag. */
  readonly manifest: string;
  /** Digest of the envelope's layer. */
  readonly layer: string;
  /** False when the envelope (or, with a key, the same statement signed by it) was there already. */
  readonly added: boolean;
  /** Number of attestations (layers) at the tag now. */
  readonly attestations: number;
}

/** True when an existing layer carries the same statement with a signature that verifies with `key`. */
async function sameStatementByKey(
  client: RegistryClient,
  image: RepositoryName,
  layer: OCIDescriptor,
  fresh: DsseEnvelope,
  key: VerifyingKey,
): Promise<boolean> {
  if (layer.mediaType !== DSSE_MEDIA_TYPE) return false;
  try {
    const old = parseEnvelope(await fetchPayload(client, image, layer));
    if (old.payloadType !== fresh.payloadType || old.payload !== fresh.payload) return false;
    verifyEnvelope(old, [key]);
    return true;
  } catch (err) {
    if (isLarderError(err, 'FETCH_FAILED', 'FETCH_UNAUTHORIZED')) throw err;
    return false;
  }
}

/**
 * Attaches a DSSE envelope in cosign's legacy layout: one more layer (media type
 * `application/vnd.dsse.envelope.v1+json`, annotation `predicateType`) of the manifest at
 * `sha256-<hex>.att` beside `digest` in `image`. Existing layers are kept; an identical envelope
 * is not added again, nor, when `options.key` is given, an envelope over the same statement that
 * this key already signed (ECDSA signatures differ on every run).
 */
export async function attachAttestationLegacy(
  client: RegistryClient,
  image: RepositoryName,
  digest: string,
  envelope: DsseEnvelope,
  predicateType: string,
  options: { readonly key?: VerifyingKey } = {},
): Promise<LegacyAttachResult> {
  const bytes = serializeEnvelope(envelope);
  const fresh = attestationLayer(bytes, predicateType);
  const existing = await findLegacyAttestations(client, image, digest);
  const { tag, layers } = existing;
  const same = (l: OCIDescriptor) =>
    l.digest === fresh.digest &&
    l.mediaType === fresh.mediaType &&
    l.annotations?.[PREDICATE_TYPE_ANNOTATION] === predicateType;
  let duplicate = layers.find(same);
  if (duplicate === undefined && options.key !== undefined) {
    for (const layer of layers) {
      if (layer.annotations?.[PREDICATE_TYPE_ANNOTATION] !== predicateType) continue;
      if (await sameStatementByKey(client, image, layer, envelope, options.key)) {
        duplicate = layer;
        break;
      }
    }
  }
  if (existing.manifest !== undefined && duplicate !== undefined) {
    return {
      tag,
      manifest: existing.manifest,
      layer: duplicate.digest,
      added: false,
      attestations: layers.length,
    };
  }
  const all = [...layers, fresh];
  const manifest = signatureImage(all);
  await client.pushBlob(image, { digest: fresh.digest, size: fresh.size, bytes });
  await client.pushBlob(image, manifest.config);
  const pushed = await client.putManifest(image, tag, manifest.manifest.bytes, MEDIA_TYPES.manifest);
  return { tag, manifest: pushed, layer: fresh.digest, added: true, attestations: all.length };
}
