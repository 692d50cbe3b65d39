import { describe, expect, it } from 'vitest';
import {
  attachAttestationLegacy,
  attestationTag,
  attestDigest,
  findLegacyAttestations,
  generateEcdsaP256Key,
  PREDICATE_TYPE_ANNOTATION,
  parseEnvelope,
  type SigningKey,
  signEnvelope,
  signStatement,
  verifyAttestations,
} from '../../../../src/attest/index.js';
import { isLarderError } from '../../../../src/core/index.js';
import {
  MEDIA_TYPES,
  type OCIManifest,
  type RegistryClient,
  type RepositoryName,
} from '../../../../src/oci/index.js';
import { pushImage, setup, statementFor } from './registry-setup.js';

const DSSE = 'application/vnd.dsse.envelope.v1+json';

async function attManifest(
  client: RegistryClient,
  repo: RepositoryName,
  digest: string,
): Promise<OCIManifest> {
  const got = await client.getManifest(repo, attestationTag(digest));
  return JSON.parse(got.bytes.toString('utf8')) as OCIManifest;
}

async function blob(client: RegistryClient, repo: RepositoryName, digest: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of await client.getBlob(repo, { digest })) chunks.push(c);
  return Buffer.concat(chunks);
}

function reasons(result: {
  verdicts: readonly ({ ok: true } | { ok: false; reason: string; otherType?: string })[];
}): string[] {
  return result.verdicts.map((v) =>
    v.ok ? 'ok' : v.otherType !== undefined ? `other: ${v.reason}` : v.reason,
  );
}

describe('attestations in the legacy .att layout', () => {
  it('attaches a DSSE envelope layer with cosign annotations and verifies it', async () => {
    const { client, repo } = await setup();
    const key = generateEcdsaP256Key();
    const image = await pushImage(client, repo, 'v1');
    const statement = statementFor(repo, image.digest, 'openvex', {
      '@context': 'https://openvex.dev/ns/v0.2.0',
    });
    const done = await attestDigest(client, repo, image, statement, key, { forms: 'legacy' });
    expect(done.legacy).toMatchObject({ tag: attestationTag(image.digest), added: true, attestations: 1 });

    const manifest = await attManifest(client, repo, image.digest);
    expect(manifest.mediaType).toBe(MEDIA_TYPES.manifest);
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.config);
    expect(manifest.layers).toHaveLength(1);
    const layer = manifest.layers[0]!;
    expect(layer.mediaType).toBe(DSSE);
    expect(layer.annotations).toEqual({
      [PREDICATE_TYPE_ANNOTATION]: 'https://openvex.dev/ns',
      'dev.cosignproject.cosign/signature': '',
    });
    const envelope = parseEnvelope(await blob(client, repo, layer.digest));
    expect(envelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'))).toEqual(statement);

    const result = await verifyAttestations(client, repo, image.digest, key, 'https://openvex.dev/ns');
    expect(result.verdicts).toEqual([{ ok: true, form: 'legacy', source: layer.digest, statement }]);
  });

  it('appends other attestations, skips the same statement by the same key, and filters by type', async () => {
    const { client, repo } = await setup();
    const key = generateEcdsaP256Key();
    const image = await pushImage(client, repo, 'v1');
    const spdx = statementFor(repo, image.digest, 'spdxjson', { spdxVersion: 'SPDX-2.3' });
    const cdx = statementFor(repo, image.digest, 'cyclonedx', { bomFormat: 'CycloneDX' });
    const first = await attestDigest(client, repo, image, spdx, key, { forms: 'legacy' });
    const again = await attestDigest(client, repo, image, spdx, key, { forms: 'legacy' });
    expect(again.legacy).toMatchObject({ added: false, manifest: first.legacy?.manifest, attestations: 1 });
    // The identical envelope is a duplicate even without the key.
    const same = await attachAttestationLegacy(
      client,
      repo,
      image.digest,
      first.envelope,
      spdx.predicateType,
    );
    expect(same.added).toBe(false);
    const second = await attestDigest(client, repo, image, cdx, key, { forms: 'legacy' });
    expect(second.legacy).toMatchObject({ added: true, attestations: 2 });
    // Another key's signature over the same statement is kept beside ours.
    const other = generateEcdsaP256Key();
    const third = await attestDigest(client, repo, image, spdx, other, { forms: 'legacy' });
    expect(third.legacy).toMatchObject({ added: true, attestations: 3 });

    const found = await findLegacyAttestations(client, repo, image.digest);
    expect(found.layers.map((l) => l.annotations?.[PREDICATE_TYPE_ANNOTATION])).toEqual([
      'https://spdx.dev/Document',
      'https://cyclonedx.org/bom',
      'https://spdx.dev/Document',
    ]);
    const cdxOnly = await verifyAttestations(client, repo, image.digest, key, 'https://cyclonedx.org/bom');
    expect(reasons(cdxOnly)).toEqual([
      "other: the attestation's predicate type is https://spdx.dev/Document, not https://cyclonedx.org/bom",
      'ok',
      "none of the envelope's 1 signature(s) verifies with the given key(s)",
    ]);
    const all = await verifyAttestations(client, repo, image.digest, key);
    expect(reasons(all)).toEqual([
      'ok',
      'ok',
      "none of the envelope's 1 signature(s) verifies with the given key(s)",
    ]);
  });

  it('finds nothing when there is no .att tag', async () => {
    const { client, repo } = await setup();
    const image = await pushImage(client, repo, 'v1');
    expect(await findLegacyAttestations(client, repo, image.digest)).toEqual({
      tag: attestationTag(image.digest),
      layers: [],
    });
    const result = await verifyAttestations(client, repo, image.digest, generateEcdsaP256Key());
    expect(result.verdicts).toEqual([]);
  });

  it('rejects an attestation for another digest copied to this one (swapped subject)', async () => {
    const { client, repo } = await setup();
    const key = generateEcdsaP256Key();
    const a = await pushImage(client, repo, 'a');
    const b = await pushImage(client, repo, 'b');
    await attestDigest(client, repo, a, statementFor(repo, a.digest, 'slsaprovenance1', {}), key, {
      forms: 'legacy',
    });
    const copied = await client.getManifest(repo, attestationTag(a.digest));
    await client.putManifest(repo, attestationTag(b.digest), copied.bytes, MEDIA_TYPES.manifest);
    const onB = await verifyAttestations(client, repo, b.digest, key, 'https://slsa.dev/provenance/v1');
    expect(reasons(onB)).toEqual([
      `the attestation is signed but none of its subjects has digest ${b.digest}`,
    ]);
    const onA = await verifyAttestations(client, repo, a.digest, key, 'https://slsa.dev/provenance/v1');
    expect(reasons(onA)).toEqual(['ok']);
  });

  it('rejects a changed payload, a non-in-toto payload type, a lying annotation and a corrupted blob', async () => {
    const { registry, client, repo } = await setup();
    const key: SigningKey = generateEcdsaP256Key();
    const image = await pushImage(client, repo, 'v1');
    const statement = statementFor(repo, image.digest, 'vuln', { scanner: { uri: 'x' } });
    const good = signStatement(key, statement);
    const changed = Buffer.from(good.payload, 'base64').toString('utf8').replace('"uri":"x"', '"uri":"y"');
    await attachAttestationLegacy(
      client,
      repo,
      image.digest,
      { ...good, payload: Buffer.from(changed).toString('base64') },
      statement.predicateType,
    );
    const plain = signEnvelope(key, 'text/plain', Buffer.from('hello'));
    await attachAttestationLegacy(client, repo, image.digest, plain, statement.predicateType);
    await attachAttestationLegacy(client, repo, image.digest, good, 'https://openvex.dev/ns');
    const last = await attachAttestationLegacy(
      client,
      repo,
      image.digest,
      signStatement(key, statement),
      statement.predicateType,
    );
    registry.corrupt(last.layer);
    const result = await verifyAttestations(client, repo, image.digest, key);
    expect(reasons(result)).toEqual([
      "none of the envelope's 1 signature(s) verifies with the given key(s)",
      "DSSE envelope: payloadType 'text/plain' is not 'application/vnd.in-toto+json'",
      `the layer says predicate type https://openvex.dev/ns but the signed statement has ${statement.predicateType}`,
      expect.stringMatching(/^the payload blob does not match the layer descriptor/),
    ]);
  });

  it('refuses a statement whose subject is not the digest it is attached to', async () => {
    const { client, repo } = await setup();
    const key = generateEcdsaP256Key();
    const a = await pushImage(client, repo, 'a');
    const b = await pushImage(client, repo, 'b');
    const err = await attestDigest(client, repo, b, statementFor(repo, a.digest, 'spdx', {}), key, {
      forms: 'legacy',
    }).catch((e: unknown) => e);
    expect(isLarderError(err, 'USAGE')).toBe(true);
    expect((err as Error).message).toBe(`the statement has no subject with digest ${b.digest}`);
  });
});
