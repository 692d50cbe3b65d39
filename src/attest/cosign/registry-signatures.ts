import { isLarderError, LarderError } from '../../core/index.js';
import type {
  ImageReference,
  OCIDescriptor,
  OCIIndex,
  RegistryClient,
  RepositoryName,
} from '../../oci/index.js';
import { signatureLayers, signatureTag } from './signature-manifest.js';

/** cosign's default limit on an attached blob (`COSIGN_MAX_ATTACHMENT_SIZE`). */
export const MAX_PAYLOAD_SIZE = 128 * 1024 * 1024;

/** The signature manifest at an image's `.sig` tag: its layers and digest; undefined when there is none. */
export async function fetchSignatureLayers(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
): Promise<{ readonly digest: string; readonly layers: OCIDescriptor[] } | undefined> {
  try {
    const got = await client.getManifest(repo, signatureTag(digest));
    return { digest: got.digest, layers: signatureLayers(got.bytes) };
  } catch (err) {
    if (isLarderError(err, 'FETCH_NOT_FOUND')) return undefined;
    throw err;
  }
}

/** A layer's payload blob, read whole and checked against the descriptor's digest and size. */
export async function fetchPayload(
  client: RegistryClient,
  repo: RepositoryName,
  layer: OCIDescriptor,
): Promise<Buffer> {
  if (layer.size > MAX_PAYLOAD_SIZE) {
    throw new LarderError('SIGNATURE_BAD', `payload of ${layer.size} bytes exceeds ${MAX_PAYLOAD_SIZE}`);
  }
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of await client.getBlob(repo, { digest: layer.digest, size: layer.size })) {
      chunks.push(chunk);
    }
  } catch (err) {
    // The client reports a blob that is not what its descriptor says as FETCH_FAILED; for a
    // signature that is a verdict on the layer, not a failure to reach the registry.
    if (isLarderError(err, 'FETCH_FAILED') && CONTENT_MISMATCH.test(err.message)) {
      throw new LarderError(
        'SIGNATURE_BAD',
        `the payload blob does not match the layer descriptor (${err.message})`,
        {
          cause: err,
        },
      );
    }
    throw err;
  }
  return Buffer.concat(chunks);
}

const CONTENT_MISMATCH = /received \d+ bytes with digest|more than the expected \d+ bytes/;

/** The manifest digest a reference names: its digest, else what its tag points at. */
export async function resolveDigest(
  client: RegistryClient,
  ref: RepositoryName & { readonly tag?: string; readonly digest?: string },
): Promise<{ readonly digest: string; readonly mediaType: string; readonly bytes: Buffer }> {
  const got = await client.getManifest(ref, ref.digest ?? ref.tag ?? 'latest');
  return { digest: got.digest, mediaType: got.mediaType, bytes: got.bytes };
}

const INDEX_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/**
 * What signing or attesting `image` covers: the manifest or index it resolves to and, with
 * `recursive` on an index, each of its manifests, as descriptors (a referrer's subject needs
 * media type and size as well as the digest).
 */
export async function resolveSubjects(
  client: RegistryClient,
  image: ImageReference,
  recursive: boolean,
): Promise<OCIDescriptor[]> {
  const top = await resolveDigest(client, image);
  const subjects: OCIDescriptor[] = [
    { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length },
  ];
  if (recursive && INDEX_MEDIA_TYPES.has(top.mediaType)) {
    const index = JSON.parse(top.bytes.toString('utf8')) as OCIIndex;
    for (const m of index.manifests)
      subjects.push({ mediaType: m.mediaType, digest: m.digest, size: m.size });
  }
  return subjects;
}
