import { createHash } from 'node:crypto';
import {
  attachBundle as attachBundleReferrer,
  attachedTag,
  bundleFromEnvelope,
  imageSubject,
  makeStatement,
  type SigningKey,
  type SigstoreBundle,
  serializeBundle,
  serializeEnvelope,
  signatureImage,
  signStatement,
} from '../../../../src/attest/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  type RegistryClient,
  type RepositoryName,
} from '../../../../src/oci/index.js';

// Hand-built attachments for the tree/download tests, written with the committed attest library
// (statements, DSSE) and the registry client: a cosign `.att` layer, a `.sbom` tag, and a
// Sigstore bundle v0.3 referrer in cosign's shape (oci-trust.md §4, §5.2).

export const DSSE = 'application/vnd.dsse.envelope.v1+json';
export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Pushes a small image manifest under `tag`; returns its descriptor. */
export async function pushImage(
  client: RegistryClient,
  repo: RepositoryName,
  tag: string,
): Promise<OCIDescriptor> {
  const config = Buffer.from(JSON.stringify({ tag }));
  await client.pushBlob(repo, { digest: digestOf(config), size: config.length, bytes: config });
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.config, digest: digestOf(config), size: config.length },
      layers: [],
    }),
  );
  await client.putManifest(repo, tag, bytes, MEDIA_TYPES.manifest);
  return { mediaType: MEDIA_TYPES.manifest, digest: digestOf(bytes), size: bytes.length };
}

/** Pushes an index of two small images (amd64, arm64) under `tag`. */
export async function pushIndex(
  client: RegistryClient,
  repo: RepositoryName,
  tag: string,
): Promise<{ index: OCIDescriptor; children: OCIDescriptor[] }> {
  const children: OCIDescriptor[] = [];
  for (const architecture of ['amd64', 'arm64']) {
    const child = await pushImage(client, repo, `${tag}-${architecture}`);
    children.push({ ...child, platform: { architecture, os: 'linux' } });
  }
  const bytes = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: children }),
  );
  await client.putManifest(repo, tag, bytes, MEDIA_TYPES.index);
  return { index: { mediaType: MEDIA_TYPES.index, digest: digestOf(bytes), size: bytes.length }, children };
}

/** A signed in-toto envelope over `digest` with this predicate type. */
export function envelopeFor(
  key: SigningKey,
  repo: RepositoryName,
  digest: string,
  predicateType: string,
  predicate: Record<string, unknown> = {},
) {
  const statement = makeStatement(
    [imageSubject(`${repo.registry}/${repo.repository}`, digest)],
    predicateType,
    predicate,
  );
  return signStatement(key, statement);
}

async function pushTagImage(
  client: RegistryClient,
  repo: RepositoryName,
  tag: string,
  layers: readonly { bytes: Buffer; descriptor: OCIDescriptor }[],
): Promise<string> {
  for (const l of layers) {
    await client.pushBlob(repo, { digest: l.descriptor.digest, size: l.bytes.length, bytes: l.bytes });
  }
  const image = signatureImage(layers.map((l) => l.descriptor));
  await client.pushBlob(repo, image.config);
  return client.putManifest(repo, tag, image.manifest.bytes, MEDIA_TYPES.manifest);
}

/** cosign's legacy `.att`: one DSSE layer per predicate, `predicateType` annotation, empty signature annotation. */
export async function attachAttestations(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  key: SigningKey,
  predicateTypes: readonly string[],
): Promise<{ layers: OCIDescriptor[]; envelopes: Buffer[] }> {
  const envelopes = predicateTypes.map((t) =>
    serializeEnvelope(envelopeFor(key, repo, digest, t, { note: t })),
  );
  const layers = envelopes.map((bytes, i) => ({
    bytes,
    descriptor: {
      mediaType: DSSE,
      digest: digestOf(bytes),
      size: bytes.length,
      annotations: { 'dev.cosignproject.cosign/signature': '', predicateType: predicateTypes[i]! },
    },
  }));
  await pushTagImage(client, repo, attachedTag(digest, 'att'), layers);
  return { layers: layers.map((l) => l.descriptor), envelopes };
}

/** cosign attach sbom: one layer with the SBOM's media type at `sha256-<hex>.sbom`. */
export async function attachSbom(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
  bytes: Buffer,
  mediaType: string,
): Promise<OCIDescriptor> {
  const descriptor = { mediaType, digest: digestOf(bytes), size: bytes.length };
  await pushTagImage(client, repo, attachedTag(digest, 'sbom'), [{ bytes, descriptor }]);
  return descriptor;
}

/** A Sigstore bundle v0.3 (key-based) as a referrer of `subject`, attached with the bundle library. */
export async function attachBundle(
  client: RegistryClient,
  repo: RepositoryName,
  subject: OCIDescriptor,
  key: SigningKey,
  predicateType: string,
): Promise<{ referrer: string; bundle: SigstoreBundle; bundleBytes: Buffer }> {
  const bundle = bundleFromEnvelope(envelopeFor(key, repo, subject.digest, predicateType), key);
  const attached = await attachBundleReferrer(client, repo, subject, bundle);
  return { referrer: attached.manifestDigest, bundle, bundleBytes: serializeBundle(bundle) };
}
