import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadVerifyingKey, verifyAttestations, verifyDigest } from '../../../../../src/attest/index.js';
import { isLarderError } from '../../../../../src/core/index.js';
import {
  composeJob,
  createComposeJob,
  imageLockHash,
  loadWorkspaceImageConfig,
} from '../../../../../src/factory/jobs/compose/index.js';
import { isRetryable } from '../../../../../src/factory/service.js';
import { imageFindings, latestImageVersions, listEvents } from '../../../../../src/factory/state/index.js';
import { makeLock } from '../../../../../src/image/index.js';
import { parseImageReference, RegistryClient } from '../../../../../src/oci/index.js';
import { createFetcher } from '../../../../../src/repo/index.js';
import { openStore } from '../../../../../src/store/index.js';
import { type FakeRegistry, startFakeRegistry } from '../../../../kit/fake-registry.js';
import {
  advisoryYaml,
  type ComposeWorld,
  composeWorld,
  DETECTED,
  FALSE_POSITIVE,
  jobOf,
} from './compose-kit.js';

let registry: FakeRegistry;
let world: ComposeWorld;

beforeEach(async () => {
  registry = await startFakeRegistry();
  world = await composeWorld();
  await world.addPackage('libx', '1.0-r0', {
    files: { 'etc/os-release': 'ID=larder-test\nVERSION_ID=1\n', 'usr/lib/libx.so.1': 'x' },
  });
  await world.addPackage('app', '1.0-r0', { depends: ['libx'] });
});
afterEach(async () => {
  await registry.close();
  await world.store.close();
});
afterAll(() => {
  delete process.env.SOURCE_DATE_EPOCH;
});

async function lockHash(): Promise<string> {
  const ws = world.workspace();
  const fetcher = createFetcher({ stateDir: `${world.root}/state` });
  try {
    const loaded = await loadWorkspaceImageConfig(ws, world.configFile);
    return imageLockHash(await makeLock({ loaded, fetcher, stateDir: `${world.root}/state` }));
  } finally {
    await fetcher.close();
  }
}

async function composeJobFor(ref = `${registry.host}/factory/app:latest`) {
  const hash = await lockHash();
  return jobOf('compose', `compose:app@${hash.slice(7, 19)}#c0nf1g`, {
    image: 'app',
    configFile: world.configFile,
    publish: [ref],
    lockHash: hash,
    configHash: 'sha256:c0nf1g',
  });
}

const manifestPuts = () =>
  registry.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/')).length;

describe('composeJob', () => {
  it('composes, scans clean, pushes, signs, attests and records the version', async () => {
    const job = await composeJobFor();
    const result = await composeJob(job, world.context());
    const digest = result.digest as string;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.pushed).toEqual([`${registry.host}/factory/app:latest`]);
    expect(result.findings).toBe(0);
    expect(Object.keys(result.digests as object)).toEqual(['x86_64']);
    // The tag points at the pushed index.
    const tagged = registry.manifests.get('factory/app')?.get('latest');
    expect(tagged).toBeDefined();
    expect(
      `sha256:${(await import('node:crypto')).createHash('sha256').update(tagged!.bytes).digest('hex')}`,
    ).toBe(digest);
    // Signed (legacy and bundle forms) and attested with provenance and SBOMs.
    const client = new RegistryClient();
    try {
      const key = loadVerifyingKey(await readFile(world.cosignPub, 'utf8'));
      const repo = parseImageReference(`${registry.host}/factory/app`);
      const sig = await verifyDigest(client, repo, digest, key);
      expect(sig.verdicts.length).toBeGreaterThan(0);
      expect(sig.verdicts.every((v) => v.ok)).toBe(true);
      const att = await verifyAttestations(client, repo, digest, key);
      const types = new Set(
        att.verdicts.filter((v) => v.ok).map((v) => (v.ok ? v.statement.predicateType : '')),
      );
      expect(types).toContain('https://slsa.dev/provenance/v1');
      expect(types).toContain('https://spdx.dev/Document');
      expect(types).toContain('https://cyclonedx.org/bom');
      expect(types).not.toContain('https://openvex.dev/ns');
    } finally {
      await client.close();
    }
    const [version] = await latestImageVersions(world.store);
    expect(version).toMatchObject({
      image: 'app',
      indexDigest: digest,
      lockHash: job.payload.lockHash,
      configHash: 'sha256:c0nf1g',
      signed: true,
      attested: true,
      publishedAt: '2026-11-28T05:00:00.000Z',
    });
    expect(version!.feedVersion).toMatch(/^[0-9a-f]{12}$/);
    const lock = version!.lock as { platforms: { arch: string; packages: { name: string }[] }[] };
    expect(lock.platforms[0]!.packages.map((p) => p.name).sort()).toEqual(['app', 'libx']);
    const events = await listEvents(world.store);
    expect(events.map((e) => e.kind)).toEqual(['image-published']);
    const stages = world.logs.filter((l) => l.startsWith('stage: ')).map((l) => l.slice(7).split(':')[0]);
    expect([...new Set(stages)]).toEqual([
      'resolve',
      'compare',
      'compose',
      'scan',
      'policy',
      'push',
      'sign',
      'record',
    ]);
  });

  it('is idempotent: the same lock and config again is unchanged, nothing pushed', async () => {
    const job = await composeJobFor();
    const first = await composeJob(job, world.context());
    const puts = manifestPuts();
    const second = await composeJob(job, world.context());
    expect(second).toEqual({ unchanged: true, digest: first.digest, lockHash: job.payload.lockHash });
    expect(manifestPuts()).toBe(puts);
    expect(await latestImageVersions(world.store)).toHaveLength(1);
  });

  it('composes the same digest from the same lock (reproducible), and records without references', async () => {
    const job = await composeJobFor();
    const first = await composeJob(job, world.context());
    const fresh = await openStore(':memory:');
    try {
      const again = await composeJob(
        { ...job, payload: { ...job.payload, publish: [] } },
        {
          ...world.context(),
          store: fresh,
        },
      );
      expect(again.digest).toBe(first.digest);
      expect(again.pushed).toEqual([]);
      expect((await latestImageVersions(fresh)).map((v) => v.indexDigest)).toEqual([first.digest]);
    } finally {
      await fresh.close();
    }
  });

  it('refuses at the gate: nothing published, findings and an image-blocked event recorded, not retryable', async () => {
    await world.writeAdvisory('libx', advisoryYaml('libx', DETECTED));
    const job = await composeJobFor();
    const err = await composeJob(job, world.context()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isLarderError(err, 'POLICY_BLOCKED'), String(err)).toBe(true);
    expect(isRetryable(err)).toBe(false);
    expect(String((err as Error).message)).toContain('CGA-9m9w-f4q4-w37p');
    expect(manifestPuts()).toBe(0);
    expect(registry.blobs.size).toBe(0);
    expect(await latestImageVersions(world.store)).toEqual([]);
    const findings = await imageFindings(world.store, 'app');
    expect(findings.map((f) => [f.vulnId, f.package, f.state])).toEqual([
      ['CGA-9m9w-f4q4-w37p', 'libx', 'awaiting-fix'],
    ]);
    const [event] = await listEvents(world.store);
    expect(event).toMatchObject({ kind: 'image-blocked', subject: 'image:app' });
    expect(event!.message).toContain('libx 1.0-r0');
    expect(
      (event!.details as { blocking: { vulnerability: string }[] }).blocking.map((b) => b.vulnerability),
    ).toEqual(['CGA-9m9w-f4q4-w37p']);
    expect(
      world.logs.some((l) => l.startsWith('stage: policy: zero-known-cve: blocked by CGA-9m9w-f4q4-w37p')),
    ).toBe(true);
  });

  it('lets a finding an advisory says does not apply pass, recorded not-affected, with a VEX attestation', async () => {
    await world.writeAdvisory('libx', advisoryYaml('libx', FALSE_POSITIVE));
    const result = await composeJob(await composeJobFor(), world.context());
    expect(result.findings).toBe(0);
    const findings = await imageFindings(world.store, 'app');
    expect(findings.map((f) => [f.vulnId, f.state])).toEqual([['CGA-9m9w-f4q4-w37p', 'not-affected']]);
    const client = new RegistryClient();
    try {
      const key = loadVerifyingKey(await readFile(world.cosignPub, 'utf8'));
      const repo = parseImageReference(`${registry.host}/factory/app`);
      const att = await verifyAttestations(
        client,
        repo,
        result.digest as string,
        key,
        'https://openvex.dev/ns',
      );
      const vex = att.verdicts.find((v) => v.ok);
      expect(vex).toBeDefined();
      const statements = (
        vex as unknown as {
          statement: { predicate: { statements: { status: string; vulnerability: { name: string } }[] } };
        }
      ).statement.predicate.statements;
      expect(statements.some((s) => s.status === 'not_affected')).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('with a severity threshold, findings below it (unknown severity) do not block', async () => {
    await world.writeAdvisory('libx', advisoryYaml('libx', DETECTED));
    const ws = world.workspace({ policy: { gate: 'high' } });
    const result = await composeJob(await composeJobFor(), world.context(ws));
    expect(result.findings).toBe(1);
    const findings = await imageFindings(world.store, 'app');
    expect(findings.map((f) => f.state)).toEqual(['awaiting-fix']);
    expect((await listEvents(world.store)).map((e) => e.kind)).toEqual(['image-exposed', 'image-published']);
  });

  it('without an image key publishes unsigned', async () => {
    const base = world.workspace();
    const { signingKey: _, ...images } = base.config.images;
    const ws = { ...base, config: { ...base.config, images } };
    const result = await createComposeJob()(await composeJobFor(), world.context(ws));
    expect(result).toMatchObject({ signed: false, attested: false });
    expect(registry.requests.some((r) => r.path.includes('sha256-'))).toBe(false);
  });

  it('stops when its signal is aborted (lease lost): after the gate, before pushing', async () => {
    const job = await composeJobFor();
    const controller = new AbortController();
    const context = world.context();
    const err = await composeJob(job, {
      ...context,
      signal: controller.signal,
      log: (line) => {
        context.log(line);
        if (line.startsWith('stage: policy: ')) controller.abort(new Error('lease lost'));
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).toBe('lease lost');
    expect(world.logs.some((l) => l.startsWith('stage: policy: zero-known-cve: passed'))).toBe(true);
    expect(manifestPuts()).toBe(0);
    expect(await latestImageVersions(world.store)).toEqual([]);
  });

  it('refuses a broken payload, naming the field, without retry', async () => {
    for (const payload of [
      { image: 'app' },
      { image: 'app', configFile: world.configFile, publish: 'x', lockHash: 'a', configHash: 'b' },
      { image: '', configFile: world.configFile, publish: [], lockHash: 'a', configHash: 'b' },
    ]) {
      const err = await composeJob(jobOf('compose', 'compose:bad', payload), world.context()).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isLarderError(err, 'JOB_INVALID'), String(err)).toBe(true);
      expect(isRetryable(err)).toBe(false);
      expect((err as Error).message).toMatch(/^job compose:bad: payload\.(configFile|publish|image) /);
    }
  });
});
