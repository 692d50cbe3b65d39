import { describe, expect, it } from 'vitest';
import {
  attachBundle,
  attestationTag,
  attestDigest,
  bundleFromEnvelope,
  generateEcdsaP256Key,
  SIGSTORE_BUNDLE_V03,
  signDigestBundle,
  signStatement,
  verifyAttestations,
} from '../../../../src/attest/index.js';
import { isLarderError } from '../../../../src/core/index.js';
import type { OCIDescriptor } from '../../../../src/oci/index.js';
import { pushImage, setup, statementFor } from './registry-setup.js';

const summary = (result: Awaited<ReturnType<typeof verifyAttestations>>) =>
  result.verdicts.map(
    (v) => `${v.form} ${v.ok ? 'ok' : v.otherType !== undefined ? `other ${v.otherType}` : v.reason}`,
  );

describe('attestations as sigstore bundle referrers', () => {
  for (const referrers of [true, false]) {
    it(`attaches both forms with one envelope and verifies each (${referrers ? 'referrers API' : 'fallback tag'})`, async () => {
      const { client, repo } = await setup({ referrers });
      const key = generateEcdsaP256Key();
      const image = await pushImage(client, repo, 'v1');
      const statement = statementFor(repo, image.digest, 'slsaprovenance1', { buildDefinition: {} });
      const done = await attestDigest(client, repo, image, statement, key, { forms: 'both' });
      expect(done.legacy?.added).toBe(true);
      expect(done.bundle?.added).toBe(true);

      const listed = await client.listReferrers(repo, image.digest);
      expect(listed.source).toBe(referrers ? 'api' : 'tag');
      expect(listed.descriptors).toHaveLength(1);
      expect(listed.descriptors[0]).toMatchObject({
        digest: done.bundle?.manifestDigest,
        artifactType: SIGSTORE_BUNDLE_V03,
        annotations: { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1' },
      });
      const referrer = JSON.parse(
        (await client.getManifest(repo, done.bundle!.manifestDigest)).bytes.toString('utf8'),
      ) as { layers: OCIDescriptor[] };
      const chunks: Uint8Array[] = [];
      for await (const c of await client.getBlob(repo, referrer.layers[0]!)) chunks.push(c);
      const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { dsseEnvelope: unknown };
      expect(bundle.dsseEnvelope).toEqual(done.envelope);

      const result = await verifyAttestations(
        client,
        repo,
        image.digest,
        key,
        'https://slsa.dev/provenance/v1',
      );
      expect(result.verdicts).toEqual([
        { ok: true, form: 'bundle', source: done.bundle?.manifestDigest, statement },
        { ok: true, form: 'legacy', source: done.legacy?.layer, statement },
      ]);

      const again = await attestDigest(client, repo, image, statement, key, { forms: 'both' });
      expect(again.legacy?.added).toBe(false);
      expect(again.bundle).toEqual({ manifestDigest: done.bundle?.manifestDigest, added: false });
      expect((await client.listReferrers(repo, image.digest)).descriptors).toHaveLength(1);
    });
  }

  it('writes only the asked form', async () => {
    const { client, repo } = await setup();
    const key = generateEcdsaP256Key();
    const image = await pushImage(client, repo, 'v1');
    const done = await attestDigest(client, repo, image, statementFor(repo, image.digest, 'spdx', {}), key, {
      forms: 'bundle',
    });
    expect(done.legacy).toBeUndefined();
    const missing = await client.getManifest(repo, attestationTag(image.digest)).catch((e: unknown) => e);
    expect(isLarderError(missing, 'FETCH_NOT_FOUND')).toBe(true);
    expect(summary(await verifyAttestations(client, repo, image.digest, key))).toEqual(['bundle ok']);
  });

  it('gives a reason for another key, a swapped subject, and skips signatures and other types', async () => {
    const { client, repo } = await setup();
    const key = generateEcdsaP256Key();
    const a = await pushImage(client, repo, 'a');
    const b = await pushImage(client, repo, 'b');
    const onA = statementFor(repo, a.digest, 'openvex', { statements: [] });
    await attestDigest(client, repo, a, onA, key, { forms: 'bundle' });
    await attestDigest(client, repo, b, statementFor(repo, b.digest, 'cyclonedx', {}), key, {
      forms: 'bundle',
    });
    await signDigestBundle(client, repo, b, key);
    // A's signed statement attached to B as a referrer.
    await attachBundle(client, repo, b, bundleFromEnvelope(signStatement(key, onA), key));

    expect(summary(await verifyAttestations(client, repo, b.digest, key, 'https://openvex.dev/ns'))).toEqual([
      'bundle other https://cyclonedx.org/bom',
      'bundle other https://sigstore.dev/cosign/sign/v1',
      `bundle the statement's subjects (${a.digest}) do not include ${b.digest}`,
    ]);
    const other = await verifyAttestations(client, repo, a.digest, generateEcdsaP256Key());
    expect(summary(other)).toEqual([expect.stringMatching(/^bundle signature does not verify with the key/)]);
  });
});
