import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttachedArtifacts,
  discoverAttached,
  findBundles,
  loadSigningKey,
  type SigningKey,
  type SigstoreBundle,
  serializeBundle,
  serializeEnvelope,
} from '../../src/attest/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  pushOciLayout,
  RegistryClient,
  type RepositoryName,
} from '../../src/oci/index.js';
import { larderAsync } from '../kit/cli.js';
import { type FakeRegistry, startFakeRegistry } from '../kit/fake-registry.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';
import { attachBundle, attachSbom } from '../unit/attest/discover/attach.js';

// `larder tree` and `larder download signature|attestation|sbom` (the built CLI) against Debian's
// docker-registry 2.8 (no referrers API: the sha256-<hex> fallback tag), then after `image copy`
// to the fake registry (referrers API). The image is signed with `larder sign` and attested with
// `larder attest`; the `.sbom` tag and a provenance bundle referrer are attached with the library.
// openssl checks a downloaded signature independently.

const SLSA = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';
const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const SIGN = 'https://sigstore.dev/cosign/sign/v1';

const larder = (args: readonly string[]) => larderAsync(args);

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('larder tree / download with docker-registry, then on an image copy', () => {
  let registry: LocalRegistry;
  let fake: FakeRegistry;
  let dir: string;
  let client: RegistryClient;
  let key: SigningKey;
  let index: OCIDescriptor;
  let children: OCIDescriptor[];
  const repoOf = (host: string, repository: string): RepositoryName => ({ registry: host, repository });
  async function blobOf(repo: RepositoryName, digest: string): Promise<Buffer> {
    const chunks: Uint8Array[] = [];
    for await (const c of await client.getBlob(repo, { digest })) chunks.push(c);
    return Buffer.concat(chunks);
  }

  beforeAll(async () => {
    registry = await startLocalRegistry();
    fake = await startFakeRegistry();
    dir = await tempDir();
    client = new RegistryClient({ retryDelayMs: 1 });
    await writeSampleLayout(dir);
    for (const repo of ['team/app', 'team/bare']) {
      await pushOciLayout(join(dir, 'layout'), `${registry.host}/${repo}:1.0`);
    }
    const top = await client.getManifest(repoOf(registry.host, 'team/app'), '1.0');
    index = { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length };
    children = (JSON.parse(top.bytes.toString('utf8')) as { manifests: OCIDescriptor[] }).manifests;
    const r = await larder(['keygen', '--type', 'ecdsa-p256', '--name', 'k1', '--out', dir]);
    expect(r.status, r.stderr).toBe(0);
    key = loadSigningKey(await readFile(join(dir, 'k1.key'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await fake?.close();
    await registry?.stop();
  });

  it('shows and downloads signatures, attestations, the SBOM and bundles, and the same after image copy', async () => {
    const host = registry.host;
    const repo = repoOf(host, 'team/app');
    const ref = `${host}/team/app:1.0`;
    const name = `${host}/team/app`;
    const hex = index.digest.slice('sha256:'.length);

    // `larder sign` (both forms: the .sig tag and a cosign/sign/v1 bundle referrer), two
    // `larder attest --format legacy` (.att), a hand-attached .sbom and a provenance bundle referrer.
    const signed = await larder(['sign', ref, '--key', join(dir, 'k1.key'), '--format', 'both']);
    expect(signed.status, signed.stderr).toBe(0);
    await writeFile(join(dir, 'prov.json'), JSON.stringify({ buildDefinition: { buildType: 'x' } }));
    await writeFile(join(dir, 'spdx.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3' }));
    for (const [type, file] of [
      ['slsaprovenance1', 'prov.json'],
      ['spdxjson', 'spdx.json'],
    ]) {
      const r = await larder([
        'attest',
        ref,
        '--type',
        type!,
        '--predicate',
        join(dir, file!),
        '--key',
        join(dir, 'k1.key'),
        '--format',
        'legacy',
      ]);
      expect(r.status, r.stderr).toBe(0);
    }
    const attManifest = JSON.parse(
      (await client.getManifest(repo, `sha256-${hex}.att`)).bytes.toString('utf8'),
    ) as { layers: OCIDescriptor[] };
    const attLayers = attManifest.layers;
    expect(attLayers.map((l) => l.annotations?.predicateType)).toEqual([SLSA, SPDX]);
    const envelopes: string[] = [];
    for (const l of attLayers) envelopes.push((await blobOf(repo, l.digest)).toString('utf8'));
    const sbomBytes = Buffer.from('{"spdxVersion":"SPDX-2.3","name":"app"}');
    const sbom = await attachSbom(client, repo, index.digest, sbomBytes, 'text/spdx+json');
    const provenance = await attachBundle(client, repo, index, key, SLSA);
    const bundles = await findBundles(client, repo, index.digest);
    expect(bundles.map((b) => b.predicateType).sort()).toEqual([SIGN, SLSA].sort());
    const signBundle = bundles.find((b) => b.predicateType === SIGN)!;

    // --json is exactly what the library discovers; the text form lists it in a fixed order.
    const json = await larder(['tree', ref, '--json']);
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const tree = JSON.parse(json.stdout) as AttachedArtifacts;
    expect(tree).toEqual(JSON.parse(JSON.stringify(await discoverAttached(client, repo, index.digest))));
    expect(tree.referrersSource).toBe('tag');
    expect(tree.signatures?.layers).toHaveLength(1);
    const referrers = [provenance.referrer, signBundle.manifestDigest].sort();
    expect(tree.referrers.map((r) => r.digest)).toEqual(referrers);

    const text = await larder(['tree', ref]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    const referrerLines = tree.referrers.flatMap((r) => [
      `└── 🔗 ${BUNDLE_V03} artifacts via OCI referrer: ${name}@${r.digest}`,
      `   └── 🍒 ${r.layers[0]?.digest} ${r.digest === provenance.referrer ? SLSA : SIGN}`,
    ]);
    expect(lines(text.stdout)).toEqual([
      `📦 Supply Chain Security Related artifacts for an image: ${name}@${index.digest}`,
      `└── 🔐 Signatures for an image tag: ${name}:sha256-${hex}.sig`,
      `   └── 🍒 ${tree.signatures?.layers[0]?.digest}`,
      `└── 💾 Attestations for an image tag: ${name}:sha256-${hex}.att`,
      `   ├── 🍒 ${attLayers[0]?.digest} ${SLSA}`,
      `   └── 🍒 ${attLayers[1]?.digest} ${SPDX}`,
      `└── 📦 SBOMs for an image tag: ${name}:sha256-${hex}.sbom`,
      `   └── 🍒 ${sbom.digest} text/spdx+json`,
      ...referrerLines,
    ]);

    // --recursive: a block per platform manifest (nothing attached to them).
    const rec = await larder(['tree', ref, '--recursive']);
    expect(rec.status, rec.stderr).toBe(0);
    for (const child of children) {
      expect(rec.stdout).toContain(
        `${name}@${child.digest} (linux/${child.platform?.architecture})\n└── no supply chain artifacts\n`,
      );
    }

    // download signature: cosign's record; the payload is the simple-signing document for the
    // index, and openssl verifies Base64Signature over it with the public key.
    const sigs = await larder(['download', 'signature', ref]);
    expect(sigs.stderr).toBe('');
    expect(sigs.status).toBe(0);
    const sigLines = lines(sigs.stdout);
    const record = JSON.parse(sigLines[0]!) as Record<string, unknown>;
    expect(Object.keys(record)).toEqual([
      'Base64Signature',
      'Payload',
      'Cert',
      'Chain',
      'Bundle',
      'RFC3161Timestamp',
    ]);
    expect(record).toMatchObject({ Cert: null, Chain: null, Bundle: null, RFC3161Timestamp: null });
    const payload = Buffer.from(record.Payload as string, 'base64');
    expect(JSON.parse(payload.toString('utf8'))).toEqual({
      critical: {
        identity: { 'docker-reference': name },
        image: { 'docker-manifest-digest': index.digest },
        type: 'cosign container image signature',
      },
      optional: null,
    });
    await writeFile(join(dir, 'payload.json'), payload);
    await writeFile(join(dir, 'sig.der'), Buffer.from(record.Base64Signature as string, 'base64'));
    const openssl = execFileSync(
      'openssl',
      [
        'dgst',
        '-sha256',
        '-verify',
        join(dir, 'k1.pub'),
        '-signature',
        join(dir, 'sig.der'),
        join(dir, 'payload.json'),
      ],
      { encoding: 'utf8' },
    );
    expect(openssl.trim()).toBe('Verified OK');
    // Every bundle referrer follows (any predicate type, as cosign), one compact bundle per line.
    expect(sigLines.slice(1).sort()).toEqual(
      [serializeBundle(provenance.bundle), serializeBundle(signBundle.bundle!)]
        .map((b) => b.toString('utf8'))
        .sort(),
    );

    // download attestation: the .att envelopes byte for byte, then the bundles' envelopes.
    const atts = await larder(['download', 'attestation', ref]);
    expect(atts.status, atts.stderr).toBe(0);
    const attLines = lines(atts.stdout);
    const envelopeOf = (b: SigstoreBundle) => serializeEnvelope(b.dsseEnvelope).toString('utf8');
    const bundleEnvelopes = tree.referrers.map((r) =>
      envelopeOf(r.digest === provenance.referrer ? provenance.bundle : signBundle.bundle!),
    );
    expect(attLines).toEqual([...envelopes, ...bundleEnvelopes]);
    const spdx = await larder(['download', 'attestation', ref, '--predicate-type', 'spdxjson']);
    expect(spdx.status, spdx.stderr).toBe(0);
    expect(spdx.stdout).toBe(`${envelopes[1]}\n`);
    const slsa = await larder(['download', 'attestation', ref, '--predicate-type', SLSA]);
    expect(lines(slsa.stdout)).toEqual([envelopes[0], envelopeOf(provenance.bundle)]);
    const none = await larder(['download', 'attestation', ref, '--predicate-type', 'openvex']);
    expect(none.status).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(
      `larder: no attestations with predicate type https://openvex.dev/ns attached to ${name}@${index.digest}\n`,
    );

    const sb = await larder(['download', 'sbom', ref]);
    expect(sb.status, sb.stderr).toBe(0);
    expect(sb.stdout).toBe(`${sbomBytes.toString('utf8')}\n`);

    // image copy carries everything along; on the copy (referrers API) tree shows the same.
    const copyRef = `${fake.host}/team/copy:1.0`;
    const copied = await larder(['image', 'copy', ref, copyRef]);
    expect(copied.status, copied.stderr).toBe(0);
    const onCopy = await larder(['tree', copyRef, '--json']);
    expect(onCopy.status, onCopy.stderr).toBe(0);
    const copyTree = JSON.parse(onCopy.stdout) as AttachedArtifacts;
    expect(copyTree.digest).toBe(index.digest);
    expect(copyTree.referrersSource).toBe('api');
    expect(copyTree.signatures).toEqual(tree.signatures);
    expect(copyTree.attestations).toEqual(tree.attestations);
    expect(copyTree.sbom).toEqual(tree.sbom);
    expect(copyTree.referrers).toEqual(tree.referrers);
    const copyText = await larder(['tree', copyRef]);
    expect(copyText.stdout).toBe(text.stdout.replaceAll(`${host}/team/app`, `${fake.host}/team/copy`));
    const copySigs = await larder(['download', 'signature', copyRef]);
    expect(copySigs.stdout).toBe(sigs.stdout);
    const copyAtts = await larder(['download', 'attestation', copyRef]);
    expect(copyAtts.stdout).toBe(atts.stdout);
  }, 120_000);

  it('nothing attached: tree says so (exit 0), downloads exit 1; a missing image exits 2', async () => {
    const ref = `${registry.host}/team/bare:1.0`;
    const where = `${registry.host}/team/bare@${index.digest}`;
    const tree = await larder(['tree', ref]);
    expect(tree.stderr).toBe('');
    expect(tree.status).toBe(0);
    expect(tree.stdout).toBe(`No supply chain artifacts found for ${where}\n`);
    const json = await larder(['tree', ref, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      digest: index.digest,
      mediaType: MEDIA_TYPES.index,
      referrers: [],
      referrersSource: 'tag',
    });
    for (const [what, kind] of [
      ['signature', 'signatures'],
      ['attestation', 'attestations'],
      ['sbom', 'SBOMs'],
    ]) {
      const r = await larder(['download', what!, ref]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`larder: no ${kind} attached to ${where}\n`);
    }
    const missing = await larder(['tree', `${registry.host}/team/none:1.0`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^larder: /);
    const bad = await larder(['download', 'attestation', ref, '--predicate-type', 'nonsense']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/predicate type 'nonsense'/);
  }, 60_000);
});
