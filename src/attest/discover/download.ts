import type { RegistryClient, RepositoryName } from '../../oci/index.js';
import { findBundles, type SigstoreBundle } from '../bundle/index.js';
import { fetchPayload, SIGNATURE_ANNOTATION } from '../cosign/index.js';
import { type DsseEnvelope, parseEnvelope } from '../dsse/index.js';
import { fetchAttachedManifest } from './attached-tags.js';

const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
const TIMESTAMP_ANNOTATION = 'dev.sigstore.cosign/rfc3161timestamp';

/**
 * One legacy `.sig` signature as `cosign download signature` prints it (cosign's `SignedPayload`
 * field names and order). `Payload` is standard base64 of the payload blob. `Cert` and `Chain`
 * are the PEM text of the layer's annotations (cosign marshals parsed certificates; keyless is
 * not larder's), `Bundle` and `RFC3161Timestamp` the parsed JSON of theirs, null when absent.
 */
export interface SignatureRecord {
  readonly Base64Signature: string;
  readonly Payload: string;
  readonly Cert: string | null;
  readonly Chain: string | null;
  readonly Bundle: unknown;
  readonly RFC3161Timestamp: unknown;
}

/** Everything `download signature` prints for one digest. */
export interface DownloadedSignatures {
  /** The layers of `sha256-<hex>.sig` that carry a signature annotation, in layer order. */
  readonly legacy: readonly SignatureRecord[];
  /**
   * Every Sigstore bundle among the referrers that parses, by referrer digest (cosign's `download
   * signature` prints all of them: its verify counts any verifying bundle as a signature).
   */
  readonly bundles: readonly SigstoreBundle[];
}

/** The bundle referrers of `digest`, ordered by referrer digest (byte order) like `tree` lists them. */
async function bundlesInOrder(client: RegistryClient, repo: RepositoryName, digest: string) {
  const found = await findBundles(client, repo, digest);
  return found.sort((a, b) =>
    a.manifestDigest < b.manifestDigest ? -1 : a.manifestDigest > b.manifestDigest ? 1 : 0,
  );
}

function jsonOrNull(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The signatures attached to `digest`: legacy `.sig` layers (payload digest checked) and bundles. */
export async function downloadSignatures(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
): Promise<DownloadedSignatures> {
  const legacy: SignatureRecord[] = [];
  const sig = await fetchAttachedManifest(client, repo, digest, 'sig');
  for (const layer of sig?.layers ?? []) {
    const signature = layer.annotations?.[SIGNATURE_ANNOTATION];
    if (signature === undefined) continue;
    const payload = await fetchPayload(client, repo, layer);
    legacy.push({
      Base64Signature: signature,
      Payload: payload.toString('base64'),
      Cert: layer.annotations?.[CERTIFICATE_ANNOTATION] || null,
      Chain: layer.annotations?.[CHAIN_ANNOTATION] || null,
      Bundle: jsonOrNull(layer.annotations?.[REKOR_BUNDLE_ANNOTATION]),
      RFC3161Timestamp: jsonOrNull(layer.annotations?.[TIMESTAMP_ANNOTATION]),
    });
  }
  const bundles: SigstoreBundle[] = [];
  for (const found of await bundlesInOrder(client, repo, digest)) {
    if (found.bundle !== undefined) bundles.push(found.bundle);
  }
  return { legacy, bundles };
}

/** Where an attestation envelope came from. */
export interface DownloadedAttestation {
  readonly source: 'att' | 'bundle';
  /** The `.att` layer digest, or the referrer manifest digest of the bundle. */
  readonly from: string;
  /** The Statement's predicateType (read from the envelope payload); undefined when it is not a Statement. */
  readonly predicateType?: string;
  readonly envelope: DsseEnvelope;
}

function statementPredicateType(envelope: DsseEnvelope): string | undefined {
  try {
    const doc = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as unknown;
    if (doc === null || typeof doc !== 'object') return undefined;
    const type = (doc as { predicateType?: unknown }).predicateType;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The DSSE envelopes attached to `digest`: each `.att` layer (the blob, digest checked) and the
 * `dsseEnvelope` of each Sigstore bundle among the referrers (by referrer digest), `.att` first. With `predicateType`,
 * only those whose Statement (decoded from the payload, as cosign does) has that predicate type.
 * Envelopes are not verified here: that is `verify-attestation`'s job.
 */
export async function downloadAttestations(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  options: { readonly predicateType?: string } = {},
): Promise<DownloadedAttestation[]> {
  const found: DownloadedAttestation[] = [];
  const add = (source: 'att' | 'bundle', from: string, envelope: DsseEnvelope) => {
    const predicateType = statementPredicateType(envelope);
    if (options.predicateType !== undefined && predicateType !== options.predicateType) return;
    found.push({ source, from, ...(predicateType === undefined ? {} : { predicateType }), envelope });
  };
  const att = await fetchAttachedManifest(client, repo, digest, 'att');
  for (const layer of att?.layers ?? []) {
    add('att', layer.digest, parseEnvelope(await fetchPayload(client, repo, layer)));
  }
  for (const b of await bundlesInOrder(client, repo, digest)) {
    if (b.bundle !== undefined) add('bundle', b.manifestDigest, b.bundle.dsseEnvelope);
  }
  return found;
}

/** One SBOM layer of the `.sbom` tag. */
export interface DownloadedSbom {
  readonly mediaType: string;
  readonly digest: string;
  readonly bytes: Buffer;
}

/** The SBOMs attached under `sha256-<hex>.sbom` (cosign attach sbom), each blob digest-checked. */
export async function downloadSboms(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
): Promise<DownloadedSbom[]> {
  const sbom = await fetchAttachedManifest(client, repo, digest, 'sbom');
  const found: DownloadedSbom[] = [];
  for (const layer of sbom?.layers ?? []) {
    found.push({
      mediaType: layer.mediaType,
      digest: layer.digest,
      bytes: await fetchPayload(client, repo, layer),
    });
  }
  return found;
}
