import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVerifyingKey, verifyAttestations, verifyDigest } from '../../src/attest/index.js';
import { isLarderError } from '../../src/core/index.js';
import { createComposeJob, rescanJob } from '../../src/factory/jobs/index.js';
import { isRetryable } from '../../src/factory/service.js';
import { imageFindings, latestImageVersions, listEvents } from '../../src/factory/state/index.js';
import { MEDIA_TYPES, parseImageReference, RegistryClient } from '../../src/oci/index.js';
import { type LocalRegistry, REGISTRY_USERS, startLocalRegistry } from '../kit/registry.js';
import {
  advisoryYaml,
  type ComposeWorld,
  composeWorld,
  DETECTED,
  FALSE_POSITIVE,
  jobOf,
} from '../unit/factory/jobs/compose/compose-kit.js';

// The compose and rescan jobs against Debian's docker-registry 2.8 with htpasswd auth: the
// credentials come from larder.yaml `registries` (password from an environment variable), the
// pushed index is what the job reports, it is signed in both forms and attested (provenance,
// SBOMs, OpenVEX), a gate refusal pushes nothing, and a rescan exposes the published image.

describe('factory compose job against docker-registry', () => {
  let registry: LocalRegistry;
  let world: ComposeWorld;
  const alice = REGISTRY_USERS.alice;
  const env = { REGISTRY_PASSWORD: alice.password, SOURCE_DATE_EPOCH: '1700000000' };
  const ref = () => `${registry.host}/factory/app:latest`;
  const ws = () =>
    world.workspace({
      registries: {
        [registry.host]: { insecure: true, username: 'alice', passwordEnv: 'REGISTRY_PASSWORD' },
      },
    });
  const payload = () => ({
    image: 'app',
    configFile: world.configFile,
    publish: [ref(), `${registry.host}/factory/app:1`],
    lockHash: 'sha256:planned',
    configHash: 'sha256:c0nf1g',
  });
  const client = () =>
    new RegistryClient({
      auth: async () => ({ kind: 'basic', username: 'alice', password: alice.password }),
    });

  beforeAll(async () => {
    registry = await startLocalRegistry({ auth: 'htpasswd' });
    world = await composeWorld();
    await world.addPackage('libx', '1.0-r0', {
      files: { 'etc/os-release': 'ID=larder-test\nVERSION_ID=1\n' },
    });
    await world.addPackage('app', '1.0-r0', { depends: ['libx'] });
  }, 60_000);
  afterAll(async () => {
    await world?.store.close();
    await registry?.stop();
  });

  it('refuses at the gate and pushes nothing', async () => {
    await world.writeAdvisory('libx', advisoryYaml('libx', DETECTED));
    const err = await createComposeJob({ env })(
      jobOf('compose', 'compose:app@1', payload()),
      world.context(ws()),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(err, 'POLICY_BLOCKED'), String(err)).toBe(true);
    expect(isRetryable(err)).toBe(false);
    const c = client();
    try {
      expect(await c.headManifest(parseImageReference(ref()), 'latest')).toBeUndefined();
    } finally {
      await c.close();
    }
    expect((await listEvents(world.store)).map((e) => e.kind)).toEqual(['image-blocked']);
  });

  it('publishes once the advisory says not affected: pushed, signed, attested with VEX, recorded', async () => {
    await world.writeAdvisory('libx', advisoryYaml('libx', FALSE_POSITIVE));
    const result = await createComposeJob({ env })(
      jobOf('compose', 'compose:app@2', payload()),
      world.context(ws()),
    );
    const digest = result.digest as string;
    expect(result.pushed).toEqual(payload().publish);
    expect(result.findings).toBe(0);
    const c = client();
    try {
      const repo = parseImageReference(ref());
      for (const tag of ['latest', '1']) {
        const head = await c.headManifest(repo, tag);
        expect(head?.digest).toBe(digest);
        expect(head?.mediaType).toBe(MEDIA_TYPES.index);
      }
      const key = loadVerifyingKey(await readFile(world.cosignPub, 'utf8'));
      const signatures = await verifyDigest(c, repo, digest, key);
      expect(signatures.verdicts.length).toBeGreaterThan(0);
      expect(signatures.verdicts.every((v) => v.ok)).toBe(true);
      const arch = (result.digests as Record<string, string>).x86_64 as string;
      expect((await verifyDigest(c, repo, arch, key)).verdicts.some((v) => v.ok)).toBe(true);
      const attestations = await verifyAttestations(c, repo, digest, key);
      const ok = attestations.verdicts.flatMap((v) => (v.ok ? [v] : []));
      expect(new Set(ok.map((v) => v.form))).toEqual(new Set(['legacy', 'bundle']));
      // Bundle signatures are statements too (cosign's sign predicate): the attestations are the rest.
      const types = new Set(
        ok.map((v) => v.statement.predicateType).filter((t) => t !== 'https://sigstore.dev/cosign/sign/v1'),
      );
      expect([...types].sort()).toEqual([
        'https://cyclonedx.org/bom',
        'https://openvex.dev/ns',
        'https://slsa.dev/provenance/v1',
        'https://spdx.dev/Document',
      ]);
      const provenance = ok.find((v) => v.statement.predicateType === 'https://slsa.dev/provenance/v1');
      const predicate = provenance?.statement.predicate as {
        runDetails: { metadata: { startedOn: string } };
      };
      expect(predicate.runDetails.metadata.startedOn).toBe('2023-11-14T22:13:20Z');
    } finally {
      await c.close();
    }
    const [version] = await latestImageVersions(world.store);
    expect(version).toMatchObject({ indexDigest: digest, signed: true, attested: true });
    expect((await imageFindings(world.store, 'app')).map((f) => [f.vulnId, f.state])).toEqual([
      ['CGA-9m9w-f4q4-w37p', 'not-affected'],
    ]);

    // The same job again: unchanged, and nothing is pushed.
    const again = await createComposeJob({ env })(
      jobOf('compose', 'compose:app@2', payload()),
      world.context(ws()),
    );
    expect(again).toMatchObject({ unchanged: true, digest });

    // New data about the published image: the rescan exposes it, without pulling anything.
    await world.writeAdvisory('libx', advisoryYaml('libx', DETECTED));
    const rescanned = await rescanJob(
      jobOf('rescan', 'rescan:app', { image: 'app', digest, feedVersion: 'x' }),
      world.context(ws(), '2026-11-28T07:00:00.000Z'),
    );
    expect(rescanned).toMatchObject({ findings: 1, awaitingFix: 1, exposed: 1 });
    expect((await listEvents(world.store, { limit: 1 }))[0]).toMatchObject({ kind: 'image-exposed' });
  }, 120_000);

  it('fails naming the variable when the registry password is missing', async () => {
    await world.writeAdvisory('libx', advisoryYaml('libx', FALSE_POSITIVE));
    const err = await createComposeJob({ env: {} })(
      jobOf('compose', 'compose:app@3', { ...payload(), configHash: 'sha256:other' }),
      world.context(ws()),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(err, 'USAGE'), String(err)).toBe(true);
    expect((err as Error).message).toBe(
      `larder.yaml registries.${registry.host}: username alice needs a password, but the environment variable REGISTRY_PASSWORD is empty`,
    );
    expect((await latestImageVersions(world.store)).map((v) => v.configHash)).toEqual(['sha256:c0nf1g']);
  });
});
