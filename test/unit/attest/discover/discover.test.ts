import { afterEach, describe, expect, it } from 'vitest';
import {
  attachedTag,
  discoverAttached,
  downloadAttestations,
  downloadSboms,
  downloadSignatures,
  generateEcdsaP256Key,
  isEmptyAttachment,
  parseSimpleSigningPayload,
  signDigest,
  verifyBytes,
} from '../../../../src/attest/index.js';
import { renderTree } from '../../../../src/cli/commands/tree.js';
import { MEDIA_TYPES, RegistryClient, type RepositoryName } from '../../../../src/oci/index.js';
import { type FakeRegistryOptions, startFakeRegistry } from '../../../kit/fake-registry.js';
import {
  attachAttestations,
  attachBundle,
  attachSbom,
  BUNDLE_V03,
  DSSE,
  digestOf,
  pushImage,
  pushIndex,
} from './attach.js';

const SLSA = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';
const SIGN = 'https://sigstore.dev/cosign/sign/v1';

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

async function setup(options: FakeRegistryOptions = {}) {
  const registry = await startFakeRegistry(options);
  const client = new RegistryClient({ retryDelayMs: 1 });
  open.push(registry, client);
  const repo: RepositoryName = { registry: registry.host, repository: 'team/app' };
  return { registry, client, repo };
}

describe.each([
  ['the referrers API', true, 'api'],
  ['the fallback tag', false, 'tag'],
] as const)('discoverAttached via %s', (_name, referrers, source) => {
  it('finds .sig, .att, .sbom and bundle referrers, in a stable order', async () => {
    const { client, repo } = await setup({ referrers });
    const image = await pushImage(client, repo, '1.0');
    const key = generateEcdsaP256Key();
    const signed = await signDigest(client, repo, image.digest, key);
    const att = await attachAttestations(client, repo, image.digest, key, [SLSA, SPDX]);
    const sbomBytes = Buffer.from('{"spdxVersion":"SPDX-2.3"}');
    const sbom = await attachSbom(client, repo, image.digest, sbomBytes, 'text/spdx+json');
    const b2 = await attachBundle(client, repo, image, key, SLSA);
    const b1 = await attachBundle(client, repo, image, key, SIGN);

    const found = await discoverAttached(client, repo, image.digest);
    expect(found.digest).toBe(image.digest);
    expect(found.mediaType).toBe(MEDIA_TYPES.manifest);
    expect(found.referrersSource).toBe(source);
    expect(found.signatures?.tag).toBe(attachedTag(image.digest, 'sig'));
    expect(found.signatures?.manifest).toBe(signed.signatureManifest);
    expect(found.signatures?.layers).toHaveLength(1);
    expect(found.signatures?.layers[0]?.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    expect(found.attestations?.tag).toBe(attachedTag(image.digest, 'att'));
    expect(found.attestations?.layers).toEqual(
      att.layers.map((l, i) => ({
        digest: l.digest,
        mediaType: DSSE,
        size: l.size,
        predicateType: [SLSA, SPDX][i],
      })),
    );
    expect(found.sbom?.layers).toEqual([
      { digest: sbom.digest, mediaType: 'text/spdx+json', size: sbomBytes.length },
    ]);
    // Both bundles have the same artifactType: ordered by digest.
    const expected = [b1, b2].sort((a, b) => (a.referrer < b.referrer ? -1 : 1));
    expect(found.referrers.map((r) => r.digest)).toEqual(expected.map((b) => b.referrer));
    for (const r of found.referrers) {
      const b = r.digest === b1.referrer ? b1 : b2;
      expect(r.artifactType).toBe(BUNDLE_V03);
      expect(r.annotations['dev.sigstore.bundle.content']).toBe('dsse-envelope');
      expect(r.layers).toEqual([
        {
          digest: digestOf(b.bundleBytes),
          mediaType: BUNDLE_V03,
          size: b.bundleBytes.length,
          predicateType: b === b1 ? SIGN : SLSA,
        },
      ]);
    }
    expect(isEmptyAttachment(found)).toBe(false);

    const text = renderTree(repo, found);
    const name = `${repo.registry}/${repo.repository}`;
    const hex = image.digest.slice(7);
    expect(text.split('\n').slice(0, 9)).toEqual([
      `📦 Supply Chain Security Related artifacts for an image: ${name}@${image.digest}`,
      `└── 🔐 Signatures for an image tag: ${name}:sha256-${hex}.sig`,
      `   └── 🍒 ${found.signatures?.layers[0]?.digest}`,
      `└── 💾 Attestations for an image tag: ${name}:sha256-${hex}.att`,
      `   ├── 🍒 ${att.layers[0]?.digest} ${SLSA}`,
      `   └── 🍒 ${att.layers[1]?.digest} ${SPDX}`,
      `└── 📦 SBOMs for an image tag: ${name}:sha256-${hex}.sbom`,
      `   └── 🍒 ${sbom.digest} text/spdx+json`,
      `└── 🔗 ${BUNDLE_V03} artifacts via OCI referrer: ${name}@${expected[0]?.referrer}`,
    ]);
  });

  it('reports nothing attached, and downloads find nothing', async () => {
    const { client, repo } = await setup({ referrers });
    const image = await pushImage(client, repo, 'bare');
    const found = await discoverAttached(client, repo, image.digest);
    expect(found).toEqual({
      digest: image.digest,
      mediaType: MEDIA_TYPES.manifest,
      referrers: [],
      referrersSource: source,
    });
    expect(isEmptyAttachment(found)).toBe(true);
    expect(renderTree(repo, found)).toBe(
      `No supply chain artifacts found for ${repo.registry}/${repo.repository}@${image.digest}\n`,
    );
    expect(await downloadSignatures(client, repo, image.digest)).toEqual({ legacy: [], bundles: [] });
    expect(await downloadAttestations(client, repo, image.digest)).toEqual([]);
    expect(await downloadSboms(client, repo, image.digest)).toEqual([]);
  });
});

describe('downloads', () => {
  it('signature: cosign SignedPayload records whose payload and signature verify, then bundles', async () => {
    const { client, repo } = await setup();
    const image = await pushImage(client, repo, '1.0');
    const key = generateEcdsaP256Key();
    await signDigest(client, repo, image.digest, key);
    const bundle = await attachBundle(client, repo, image, key, SIGN);
    const got = await downloadSignatures(client, repo, image.digest);
    expect(got.legacy).toHaveLength(1);
    const record = got.legacy[0]!;
    expect(Object.keys(record)).toEqual([
      'Base64Signature',
      'Payload',
      'Cert',
      'Chain',
      'Bundle',
      'RFC3161Timestamp',
    ]);
    expect(record).toMatchObject({ Cert: null, Chain: null, Bundle: null, RFC3161Timestamp: null });
    const payload = Buffer.from(record.Payload, 'base64');
    expect(parseSimpleSigningPayload(payload).manifestDigest).toBe(image.digest);
    expect(verifyBytes(key, payload, Buffer.from(record.Base64Signature, 'base64'))).toBe(true);
    expect(got.bundles).toEqual([bundle.bundle]);
  });

  it('attestation: .att envelopes then bundle envelopes, filtered by the statement predicate type', async () => {
    const { client, repo } = await setup({ referrers: false });
    const image = await pushImage(client, repo, '1.0');
    const key = generateEcdsaP256Key();
    const att = await attachAttestations(client, repo, image.digest, key, [SLSA, SPDX]);
    const bundle = await attachBundle(client, repo, image, key, SLSA);
    const all = await downloadAttestations(client, repo, image.digest);
    expect(all.map((a) => [a.source, a.predicateType])).toEqual([
      ['att', SLSA],
      ['att', SPDX],
      ['bundle', SLSA],
    ]);
    expect(JSON.stringify(all[0]?.envelope)).toBe(att.envelopes[0]!.toString('utf8'));
    expect(all[2]?.from).toBe(bundle.referrer);
    expect(all[2]?.envelope.payload).toBe((bundle.bundle.dsseEnvelope as { payload: string }).payload);
    const slsa = await downloadAttestations(client, repo, image.digest, { predicateType: SLSA });
    expect(slsa.map((a) => a.source)).toEqual(['att', 'bundle']);
    expect(await downloadAttestations(client, repo, image.digest, { predicateType: 'x://none' })).toEqual([]);
  });

  it('sbom: the blobs of the .sbom tag, digest-checked', async () => {
    const { registry, client, repo } = await setup();
    const image = await pushImage(client, repo, '1.0');
    const bytes = Buffer.from('{"bomFormat":"CycloneDX"}');
    const d = await attachSbom(client, repo, image.digest, bytes, 'application/vnd.cyclonedx+json');
    expect(await downloadSboms(client, repo, image.digest)).toEqual([
      { mediaType: 'application/vnd.cyclonedx+json', digest: d.digest, bytes },
    ]);
    registry.corrupt(d.digest);
    await expect(downloadSboms(client, repo, image.digest)).rejects.toThrow(/does not match/);
  });

  it('skips referrers that are not bundles, and bundles older than v0.3', async () => {
    const { client, repo } = await setup();
    const image = await pushImage(client, repo, '1.0');
    const key = generateEcdsaP256Key();
    const good = await attachBundle(client, repo, image, key, SIGN);
    // An old bundle (v0.2 media type inside) and a non-bundle artifact.
    const old = Buffer.from(
      JSON.stringify({
        ...JSON.parse(good.bundleBytes.toString('utf8')),
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
      }),
    );
    const other = Buffer.from('hello');
    for (const bytes of [old, other]) {
      await client.pushBlob(repo, { digest: digestOf(bytes), size: bytes.length, bytes });
    }
    const referrer = (layerType: string, bytes: Buffer) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.manifest,
          artifactType: layerType,
          config: {
            mediaType: 'application/vnd.oci.empty.v1+json',
            digest: digestOf(Buffer.from('{}')),
            size: 2,
          },
          layers: [{ mediaType: layerType, digest: digestOf(bytes), size: bytes.length }],
          subject: { mediaType: image.mediaType, digest: image.digest, size: image.size },
        }),
      );
    await client.pushReferrer(repo, referrer(BUNDLE_V03, old), MEDIA_TYPES.manifest);
    await client.pushReferrer(repo, referrer('text/plain', other), MEDIA_TYPES.manifest);
    expect((await downloadSignatures(client, repo, image.digest)).bundles).toEqual([good.bundle]);
    const found = await discoverAttached(client, repo, image.digest);
    expect(found.referrers.map((r) => r.artifactType)).toEqual([BUNDLE_V03, BUNDLE_V03, 'text/plain']);
  });
});

describe('discoverAttached --recursive', () => {
  it('discovers each manifest of an index, with its platform', async () => {
    const { client, repo } = await setup({ referrers: false });
    const { index, children } = await pushIndex(client, repo, 'multi');
    const key = generateEcdsaP256Key();
    await signDigest(client, repo, index.digest, key);
    await signDigest(client, repo, children[1]!.digest, key);
    const flat = await discoverAttached(client, repo, index.digest);
    expect(flat.children).toBeUndefined();
    const found = await discoverAttached(client, repo, index.digest, { recursive: true });
    expect(found.mediaType).toBe(MEDIA_TYPES.index);
    expect(
      found.children?.map((c) => [c.digest, c.platform?.architecture, c.signatures !== undefined]),
    ).toEqual([
      [children[0]!.digest, 'amd64', false],
      [children[1]!.digest, 'arm64', true],
    ]);
    const text = renderTree(repo, found);
    expect(text).toContain(`${children[0]!.digest} (linux/amd64)\n└── no supply chain artifacts\n`);
    expect(text).toContain(`${children[1]!.digest} (linux/arm64)\n└── 🔐 Signatures`);
  });
});
