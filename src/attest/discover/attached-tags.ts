import { isLarderError, LarderError } from '../../core/index.js';
import type { OCIDescriptor, RegistryClient, RepositoryName } from '../../oci/index.js';
import type { AttachedKind, AttachedLayer, AttachedTag } from './types.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** `sha256-<hex>.<kind>`: where cosign's legacy layout keeps signatures, attestations and SBOMs. */
export function attachedTag(digest: string, kind: AttachedKind): string {
  const m = DIGEST.exec(digest);
  if (m === null) throw new LarderError('USAGE', `digest '${digest}': expected sha256:<64 hex>`);
  return `sha256-${m[1]}.${kind}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The layer descriptors of manifest bytes (annotations kept); PAYLOAD_INVALID when they are not a manifest. */
export function manifestLayers(bytes: Uint8Array, where: string): OCIDescriptor[] {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new LarderError('PAYLOAD_INVALID', `${where}: not JSON`, { cause: err });
  }
  if (!isObject(doc) || !Array.isArray(doc.layers)) {
    throw new LarderError('PAYLOAD_INVALID', `${where}: not an image manifest (no layers array)`);
  }
  return doc.layers.map((layer: unknown, i) => {
    if (
      !isObject(layer) ||
      typeof layer.mediaType !== 'string' ||
      typeof layer.digest !== 'string' ||
      typeof layer.size !== 'number'
    ) {
      throw new LarderError('PAYLOAD_INVALID', `${where}: layers[${i}] is not a descriptor`);
    }
    return layer as unknown as OCIDescriptor;
  });
}

/** The summary of a layer: digest, media type, size and (for attestations) its predicate type. */
export function summarizeLayer(layer: OCIDescriptor, predicateType?: string): AttachedLayer {
  const type = predicateType ?? layer.annotations?.predicateType;
  return {
    digest: layer.digest,
    mediaType: layer.mediaType,
    size: layer.size,
    ...(typeof type === 'string' && type !== '' ? { predicateType: type } : {}),
  };
}

/** The manifest at `sha256-<hex>.<kind>` with its full layer descriptors; undefined on 404. */
export async function fetchAttachedManifest(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  kind: AttachedKind,
): Promise<
  { readonly tag: string; readonly manifest: string; readonly layers: OCIDescriptor[] } | undefined
> {
  const tag = attachedTag(digest, kind);
  try {
    const got = await client.getManifest(repo, tag);
    return { tag, manifest: got.digest, layers: manifestLayers(got.bytes, `${repo.repository}:${tag}`) };
  } catch (err) {
    if (isLarderError(err, 'FETCH_NOT_FOUND')) return undefined;
    throw err;
  }
}

/** `fetchAttachedManifest` summarized; undefined when the tag is missing or holds no layers. */
export async function fetchAttachedTag(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  kind: AttachedKind,
): Promise<AttachedTag | undefined> {
  const got = await fetchAttachedManifest(client, repo, digest, kind);
  if (got === undefined || got.layers.length === 0) return undefined;
  return { tag: got.tag, manifest: got.manifest, layers: got.layers.map((l) => summarizeLayer(l)) };
}
