import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import { MEDIA_TYPES } from '../../oci/index.js';
import { type SigningKey, verifyBytes } from '../keys/index.js';
import { signImage } from '../simple-signing/index.js';
import { fetchSignatureLayers } from './registry-signatures.js';
import { SIGNATURE_ANNOTATION, signatureImage, signatureLayer, signatureTag } from './signature-manifest.js';

/** What signing one digest did. */
export interface SignDigestResult {
  /** The signed manifest digest. */
  readonly digest: string;
  /** `sha256-<hex>.sig`. */
  readonly tag: string;
  /** Digest of the signature manifest now at the tag. */
  readonly signatureManifest: string;
  /** False when an equal payload already carried a signature by this key (nothing pushed). */
  readonly added: boolean;
  /** Number of signatures (layers) at the tag now. */
  readonly signatures: number;
}

function isDuplicate(layer: OCIDescriptor, fresh: OCIDescriptor, key: SigningKey, payload: Buffer): boolean {
  if (layer.digest !== fresh.digest || layer.mediaType !== fresh.mediaType) return false;
  const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
  if (typeof signature !== 'string' || signature === '') return false;
  try {
    return verifyBytes(key, payload, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Signs `digest` in cosign's legacy layout: the simple-signing payload (docker-reference =
 * `registry/repository`) becomes one layer of the signature manifest at `sha256-<hex>.sig` in
 * `repo`. Existing layers are kept; a layer with the same payload whose signature verifies with
 * this key is not added again.
 */
export async function signDigest(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  key: SigningKey,
): Promise<SignDigestResult> {
  const tag = signatureTag(digest);
  const signed = signImage(key, {
    dockerReference: `${repo.registry}/${repo.repository}`,
    manifestDigest: digest,
    optional: null,
  });
  const fresh = signatureLayer(signed.payload, signed.signature);
  const existing = await fetchSignatureLayers(client, repo, digest);
  const layers = existing?.layers ?? [];
  if (existing !== undefined && layers.some((l) => isDuplicate(l, fresh, key, signed.payload))) {
    return { digest, tag, signatureManifest: existing.digest, added: false, signatures: layers.length };
  }
  const all = [...layers, fresh];
  const image = signatureImage(all);
  await client.pushBlob(repo, { digest: fresh.digest, size: fresh.size, bytes: signed.payload });
  await client.pushBlob(repo, image.config);
  const pushed = await client.putManifest(repo, tag, image.manifest.bytes, MEDIA_TYPES.manifest);
  return { digest, tag, signatureManifest: pushed, added: true, signatures: all.length };
}
