import { LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import type { VerifyingKey } from '../keys/index.js';
import {
  SIMPLE_SIGNING_MEDIA_TYPE,
  type SimpleSigningClaims,
  verifyImageSignature,
} from '../simple-signing/index.js';
import { fetchPayload, fetchSignatureLayers } from './registry-signatures.js';
import { SIGNATURE_ANNOTATION, signatureTag } from './signature-manifest.js';

/** The verdict on one layer of a signature manifest. */
export type SignatureVerdict =
  | { readonly ok: true; readonly layer: OCIDescriptor; readonly claims: SimpleSigningClaims }
  | { readonly ok: false; readonly layer: OCIDescriptor; readonly reason: string };

/** What the `.sig` tag of one digest holds, checked against one key. */
export interface DigestVerification {
  readonly digest: string;
  readonly tag: string;
  /** Undefined when the tag does not exist. */
  readonly signatureManifest?: string;
  readonly verdicts: readonly SignatureVerdict[];
}

async function verifyLayer(
  client: RegistryClient,
  repo: RepositoryName,
  layer: OCIDescriptor,
  key: VerifyingKey,
  digest: string,
): Promise<SignatureVerdict> {
  try {
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) {
      throw new LarderError('SIGNATURE_BAD', `layer media type ${layer.mediaType} is not simple signing`);
    }
    const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (typeof signature !== 'string') {
      throw new LarderError('SIGNATURE_BAD', `the layer has no ${SIGNATURE_ANNOTATION} annotation`);
    }
    const payload = await fetchPayload(client, repo, layer);
    return { ok: true, layer, claims: verifyImageSignature(key, { payload, signature }, digest) };
  } catch (err) {
    if (!(err instanceof LarderError) || err.code === 'FETCH_FAILED' || err.code === 'FETCH_UNAUTHORIZED') {
      throw err;
    }
    return { ok: false, layer, reason: err.message };
  }
}

/**
 * cosign's key-based check of the legacy layout: every layer at `sha256-<hex>.sig` is read
 * (payload digest and size checked), its signature verified with `key`, and its
 * docker-manifest-digest compared with `digest`. Registry failures throw; bad layers are verdicts.
 */
export async function verifyDigest(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  key: VerifyingKey,
): Promise<DigestVerification> {
  const tag = signatureTag(digest);
  const found = await fetchSignatureLayers(client, repo, digest);
  if (found === undefined) return { digest, tag, verdicts: [] };
  const verdicts: SignatureVerdict[] = [];
  for (const layer of found.layers) verdicts.push(await verifyLayer(client, repo, layer, key, digest));
  return { digest, tag, signatureManifest: found.digest, verdicts };
}
