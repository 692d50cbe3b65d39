import { isLarderError } from '../../core/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIIndex,
  type RegistryClient,
  type RepositoryName,
} from '../../oci/index.js';
import { BUNDLE_PREDICATE_TYPE_ANNOTATION } from '../bundle/index.js';
import { fetchAttachedTag, manifestLayers, summarizeLayer } from './attached-tags.js';
import type { AttachedArtifacts, AttachedReferrer, ChildArtifacts } from './types.js';

const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.index, MEDIA_TYPES.dockerManifestList]);

export interface DiscoverOptions {
  /** On an index: also discover what is attached to each of its manifests. */
  readonly recursive?: boolean;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

async function describeReferrer(
  client: RegistryClient,
  repo: RepositoryName,
  d: OCIDescriptor,
): Promise<AttachedReferrer> {
  const annotations = { ...(d.annotations ?? {}) };
  const base = {
    digest: d.digest,
    mediaType: d.mediaType,
    size: d.size,
    ...(d.artifactType === undefined ? {} : { artifactType: d.artifactType }),
    annotations,
  };
  const predicateType = annotations[BUNDLE_PREDICATE_TYPE_ANNOTATION];
  try {
    const got = await client.getManifest(repo, d.digest);
    const layers = INDEX_TYPES.has(got.mediaType)
      ? []
      : manifestLayers(got.bytes, `${repo.repository}@${d.digest}`).map((l) =>
          summarizeLayer(l, predicateType),
        );
    return { ...base, layers };
  } catch (err) {
    if (isLarderError(err, 'FETCH_NOT_FOUND')) return { ...base, layers: [], missing: true };
    throw err;
  }
}

async function discoverDigest(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  mediaType: string,
): Promise<AttachedArtifacts> {
  const [signatures, attestations, sbom, listed] = await Promise.all([
    fetchAttachedTag(client, repo, digest, 'sig'),
    fetchAttachedTag(client, repo, digest, 'att'),
    fetchAttachedTag(client, repo, digest, 'sbom'),
    client.listReferrers(repo, digest),
  ]);
  const referrers: AttachedReferrer[] = [];
  for (const d of listed.descriptors) referrers.push(await describeReferrer(client, repo, d));
  referrers.sort(
    (a, b) => byteOrder(a.artifactType ?? '', b.artifactType ?? '') || byteOrder(a.digest, b.digest),
  );
  return {
    digest,
    mediaType,
    ...(signatures === undefined ? {} : { signatures }),
    ...(attestations === undefined ? {} : { attestations }),
    ...(sbom === undefined ? {} : { sbom }),
    referrers,
    referrersSource: listed.source,
  };
}

/**
 * What is attached to the manifest `digest` in `repo`, as `cosign tree` looks for it: the legacy
 * `sha256-<hex>.sig`, `.att` and `.sbom` tags (their layers), and the OCI referrers (API, else the
 * `sha256-<hex>` fallback index) with each referrer manifest's layers. With `recursive` on an
 * index, each child manifest is discovered too. Registry failures throw; a missing tag is absent.
 */
export async function discoverAttached(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  options: DiscoverOptions = {},
): Promise<AttachedArtifacts> {
  const top = await client.getManifest(repo, digest);
  const found = await discoverDigest(client, repo, digest, top.mediaType);
  if (options.recursive !== true || !INDEX_TYPES.has(top.mediaType)) return found;
  const index = JSON.parse(top.bytes.toString('utf8')) as OCIIndex;
  const children: ChildArtifacts[] = [];
  for (const child of index.manifests) {
    const attached = await discoverDigest(client, repo, child.digest, child.mediaType);
    children.push(child.platform === undefined ? attached : { ...attached, platform: child.platform });
  }
  return { ...found, children };
}
