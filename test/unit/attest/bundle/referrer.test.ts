import { afterEach, describe, expect, it } from 'vitest';
import {
  attachBundle,
  bundleFromEnvelope,
  COSIGN_SIGN_PREDICATE,
  cosignSignStatement,
  findBundles,
  generateEcdsaP256Key,
  IN_TOTO_PAYLOAD_TYPE,
  SIGSTORE_BUNDLE_V03,
  signDigestBundle,
  signEnvelope,
  verifyBundle,
} from '../../../../src/attest/index.js';
import {
  jsonBlob,
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIManifest,
  RegistryClient,
  type RepositoryName,
} from '../../../../src/oci/index.js';
import { type FakeRegistry, startFakeRegistry } from '../../../kit/fake-registry.js';

const key = generateEcdsaP256Key();
let registry: FakeRegistry | undefined;
let client: RegistryClient | undefined;
afterEach(async () => {
  await client?.close();
  await registry?.close();
  client = undefined;
  registry = undefined;
});

/** A fake registry holding one small image manifest in `team/app`. */
async function setup(referrers: boolean): Promise<{ repo: RepositoryName; subject: OCIDescriptor }> {
  registry = await startFakeRegistry({ referrers });
  client = new RegistryClient();
  const repo = { registry: registry.host, repository: 'team/app' };
  const config = jsonBlob({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  await client.pushBlob(repo, config);
  const manifest = jsonBlob({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config: { mediaType: MEDIA_TYPES.config, digest: config.digest, size: config.size },
    layers: [],
  });
  await client.putManifest(repo, '1', manifest.bytes, MEDIA_TYPES.manifest);
  return { repo, subject: { mediaType: MEDIA_TYPES.manifest, digest: manifest.digest, size: manifest.size } };
}

for (const referrers of [true, false]) {
  describe(`attachBundle / findBundles (${referrers ? 'referrers API' : 'fallback tag'})`, () => {
    it('attaches once, finds and verifies it, and keeps other referrers out', async () => {
      const { repo, subject } = await setup(referrers);
      const c = client!;
      const bundle = bundleFromEnvelope(
        signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, cosignSignStatement(subject.digest)),
        key,
      );
      const createdAt = new Date('2024-05-06T07:08:09.123Z');
      const first = await attachBundle(c, repo, subject, bundle, { createdAt });
      expect(first.added).toBe(true);
      expect(await attachBundle(c, repo, subject, bundle, { createdAt })).toEqual({ ...first, added: false });
      const manifest = JSON.parse(
        (await c.getManifest(repo, first.manifestDigest)).bytes.toString(),
      ) as OCIManifest;
      expect(manifest.annotations?.['org.opencontainers.image.created']).toBe('2024-05-06T07:08:09Z');

      // A referrer of another kind (an SBOM artifact) is not a bundle.
      const sbom = jsonBlob({ spdxVersion: 'SPDX-2.3' });
      await c.pushBlob(repo, sbom);
      await c.pushBlob(repo, { digest: jsonBlob({}).digest, size: 2, bytes: Buffer.from('{}') });
      const other = jsonBlob({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        artifactType: 'application/spdx+json',
        config: { mediaType: MEDIA_TYPES.empty, digest: jsonBlob({}).digest, size: 2 },
        layers: [{ mediaType: 'application/spdx+json', digest: sbom.digest, size: sbom.size }],
        subject,
      });
      await c.pushReferrer(repo, other.bytes, MEDIA_TYPES.manifest);

      // A bundle referrer whose blob is not a bundle comes back with an error.
      const junk = jsonBlob({ mediaType: SIGSTORE_BUNDLE_V03 });
      await c.pushBlob(repo, junk);
      const broken = jsonBlob({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        artifactType: SIGSTORE_BUNDLE_V03,
        config: { mediaType: MEDIA_TYPES.empty, digest: jsonBlob({}).digest, size: 2 },
        layers: [{ mediaType: SIGSTORE_BUNDLE_V03, digest: junk.digest, size: junk.size }],
        subject,
        annotations: { 'dev.sigstore.bundle.predicateType': 'https://example.com/p' },
      });
      await c.pushReferrer(repo, broken.bytes, MEDIA_TYPES.manifest);

      const found = await findBundles(c, repo, subject.digest);
      expect(found).toHaveLength(2);
      const good = found.find((f) => f.manifestDigest === first.manifestDigest)!;
      expect(good.predicateType).toBe(COSIGN_SIGN_PREDICATE);
      expect(verifyBundle(good.bundle!, key, subject.digest).ok).toBe(true);
      const bad = found.find((f) => f.manifestDigest === broken.digest)!;
      expect(bad).toEqual({
        manifestDigest: broken.digest,
        predicateType: 'https://example.com/p',
        error: `referrer ${broken.digest}: sigstore bundle: dsseEnvelope is missing`,
      });
    });

    it('signDigestBundle is idempotent per key and adds a second key', async () => {
      const { repo, subject } = await setup(referrers);
      const c = client!;
      const a = await signDigestBundle(c, repo, subject, key);
      expect(a.added).toBe(true);
      expect(await signDigestBundle(c, repo, subject, key)).toEqual({ ...a, added: false });
      const other = generateEcdsaP256Key();
      const b = await signDigestBundle(c, repo, subject, other);
      expect(b.added).toBe(true);
      const found = await findBundles(c, repo, subject.digest);
      expect(found.map((f) => f.manifestDigest).sort()).toEqual([a.manifestDigest, b.manifestDigest].sort());
      expect(found.filter((f) => verifyBundle(f.bundle!, other, subject.digest).ok)).toHaveLength(1);
    });
  });
}

describe('findBundles', () => {
  it('finds nothing for an image without referrers', async () => {
    const { repo, subject } = await setup(false);
    expect(await findBundles(client!, repo, subject.digest)).toEqual([]);
  });
});
