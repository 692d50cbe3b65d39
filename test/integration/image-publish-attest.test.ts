import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { shared, tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// `larder image publish --key --attest [--recursive]` against Debian's docker-registry 2.8: the
// pushed index is signed in both forms, and SLSA provenance v1 plus the SPDX and CycloneDX SBOMs
// are attached; `verify` and `verify-attestation` read them back and their predicates say what
// the build used (package files by sha256, the config, SOURCE_DATE_EPOCH times).

interface Statement {
  subject: Array<{ name?: string; digest: { sha256: string } }>;
  predicateType: string;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads deep into JSON documents it checks
  predicate: Record<string, any>;
}

const EPOCH = '1700000000';

describe('larder image publish --key --attest', () => {
  let registry: LocalRegistry;
  let dir: string;
  const env = () => ({ SOURCE_DATE_EPOCH: EPOCH, HOME: dir });
  const run = (args: string[]) => larder(args, { cwd: dir, env: env() });
  const statements = (stdout: string): Statement[] =>
    stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Statement);

  beforeAll(async () => {
    registry = await startLocalRegistry();
    dir = await tempDir();
    await mkdir(join(dir, 'testdata'));
    await symlink(shared('keys', 'melange', 'melange.rsa.pub'), join(dir, 'testdata', 'melange.rsa.pub'));
    await symlink(shared('repo', 'melange-test'), join(dir, 'testdata', 'packages'));
    await writeFile(join(dir, 'apko.yaml'), await readFile(shared('apko', 'apko.yaml')));
    expect(run(['keygen', '--type', 'ecdsa-p256', '--name', 'ci']).status).toBe(0);
    expect(run(['keygen', '--type', 'ecdsa-p256', '--name', 'other']).status).toBe(0);
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('signs and attests in both forms; provenance and SBOMs verify and describe the build', async () => {
    const ref = `${registry.host}/team/app:1`;
    const state = join(dir, 'state');
    const r = run([
      'image',
      'publish',
      'apko.yaml',
      ref,
      '--key',
      'ci.key',
      '--attest',
      '--recursive',
      '--state-dir',
      state,
    ]);
    expect(r.stderr, registry.log()).toBe('');
    expect(r.status).toBe(0);
    const digest = r.stdout.trim();
    const local = run([
      'image',
      'build',
      'apko.yaml',
      '-o',
      'out',
      '--tag',
      ref,
      '--sbom-dir',
      'sboms',
      '--state-dir',
      state,
    ]);
    expect(local.stdout.trim()).toBe(digest);
    const index = JSON.parse(
      await readFile(join(dir, 'out', 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8'),
    ) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
    const manifests = index.manifests.map((m) => m.digest);
    expect(manifests).toHaveLength(2);

    // Signatures: the legacy .sig and the bundle referrer, on the index and each manifest.
    const verified = run(['verify', ref, '--key', 'ci.pub']);
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^OK legacy ${digest} `, 'm'));
    expect(verified.stdout).toMatch(/^OK bundle .*sigstore\.dev\/cosign\/sign\/v1/m);
    for (const m of manifests) {
      expect(run(['verify', `${registry.host}/team/app@${m}`, '--key', 'ci.pub']).status).toBe(0);
    }
    expect(run(['verify', ref, '--key', 'other.pub']).status).toBe(1);

    // Provenance: subjects are the index and both manifests; every package file by sha256.
    const prov = run(['verify-attestation', ref, '--type', 'slsaprovenance1', '--key', 'ci.pub']);
    expect(prov.status, prov.stderr).toBe(0);
    const [provenance, ...more] = statements(prov.stdout);
    expect(more).toEqual([]);
    expect(provenance!.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(provenance!.subject.map((s) => `sha256:${s.digest.sha256}`)).toEqual([digest, ...manifests]);
    expect(new Set(provenance!.subject.map((s) => s.name))).toEqual(new Set([`${registry.host}/team/app`]));
    const def = provenance!.predicate.buildDefinition;
    expect(def.buildType).toBe('https://larder.dev/provenance/image-build/v1');
    expect(def.externalParameters.config.contents.packages).toEqual(['replayout']);
    expect(def.externalParameters.config.archs).toEqual(['x86_64', 'aarch64']);
    expect(def.externalParameters.references).toEqual([ref]);
    const deps = def.resolvedDependencies as Array<{
      uri: string;
      digest: { sha256: string };
      annotations: { checksum: string };
    }>;
    expect(deps.length).toBeGreaterThanOrEqual(4);
    for (const dep of deps) {
      const bytes = await readFile(join(dir, dep.uri));
      expect(createHash('sha256').update(bytes).digest('hex'), dep.uri).toBe(dep.digest.sha256);
      expect(dep.annotations.checksum).toMatch(/^Q1[A-Za-z0-9+/]{27}=$/);
    }
    const iso = new Date(Number(EPOCH) * 1000).toISOString().replace('.000Z', 'Z');
    expect(provenance!.predicate.runDetails.metadata).toEqual({ startedOn: iso, finishedOn: iso });
    expect(provenance!.predicate.runDetails.builder.id).toMatch(/^https:\/\/larder\.dev\/builders\/cli@v/);

    // SBOMs: on the index, each platform's SPDX (and the index document) equal what
    // `image build --sbom-dir` writes; CycloneDX once per platform.
    const spdx = run(['verify-attestation', ref, '--type', 'spdxjson', '--key', 'ci.pub']);
    expect(spdx.status, spdx.stderr).toBe(0);
    const spdxDocs = statements(spdx.stdout).map((s) => s.predicate);
    expect(spdxDocs).toHaveLength(3);
    for (const file of ['sbom-x86_64.spdx.json', 'sbom-aarch64.spdx.json', 'sbom-index.spdx.json']) {
      expect(spdxDocs).toContainEqual(JSON.parse(await readFile(join(dir, 'sboms', file), 'utf8')));
    }
    const cdx = run(['verify-attestation', ref, '--type', 'cyclonedx', '--key', 'ci.pub']);
    expect(statements(cdx.stdout)).toHaveLength(2);
    // --recursive: each manifest carries its own platform's SBOMs and the provenance.
    const arm = index.manifests.find((m) => m.platform.architecture === 'arm64')!.digest;
    const armCdx = run([
      'verify-attestation',
      `${registry.host}/team/app@${arm}`,
      '--type',
      'cyclonedx',
      '--key',
      'ci.pub',
    ]);
    expect(armCdx.status, armCdx.stderr).toBe(0);
    const [armDoc, ...rest] = statements(armCdx.stdout);
    expect(rest).toEqual([]);
    expect(armDoc!.predicate).toEqual(
      JSON.parse(await readFile(join(dir, 'sboms', 'sbom-aarch64.cdx.json'), 'utf8')),
    );
    expect(armDoc!.subject.map((s) => `sha256:${s.digest.sha256}`)).toEqual([digest, arm]);

    // Publishing again adds nothing: same digest, no new signature or attestation layers.
    const treeBefore = run(['tree', ref, '--json']);
    const again = larder(
      [
        'image',
        'publish',
        'apko.yaml',
        ref,
        '--key',
        'ci.key',
        '--attest',
        '--recursive',
        '--state-dir',
        state,
      ],
      { cwd: dir, env: { ...env(), LARDER_QUIET: '' } },
    );
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(digest);
    expect(again.stderr).not.toMatch(/: (legacy|bundle) .* sha256:[0-9a-f]{64}\n/);
    expect(again.stderr).toMatch(/legacy attestation provenance sha256:[0-9a-f]{64} \(already there\)/);
    expect(run(['tree', ref, '--json']).stdout).toBe(treeBefore.stdout);
  });

  it('refuses signing options without --key, before building anything', () => {
    for (const flag of ['--attest', '--recursive']) {
      const r = run(['image', 'publish', 'apko.yaml', `${registry.host}/team/x:1`, flag]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${flag} needs --key`);
    }
    const bad = run([
      'image',
      'publish',
      'apko.yaml',
      `${registry.host}/team/x:1`,
      '--key',
      'ci.key',
      '--sign-format',
      'nope',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--sign-format 'nope'");
  });

  it("takes cosign's --tlog-upload=false and refuses =true: nothing goes to a transparency log", () => {
    const ref = `${registry.host}/team/app:1`;
    for (const args of [
      ['sign', ref, '--key', 'ci.key'],
      ['attest', ref, '--key', 'ci.key', '--type', 'openvex', '--predicate', 'apko.yaml'],
      ['image', 'publish', 'apko.yaml', ref, '--key', 'ci.key'],
    ]) {
      const r = run([...args, '--tlog-upload=true']);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^larder: USAGE: --tlog-upload=true: larder signs offline with keys/);
    }
    const ok = run(['sign', ref, '--key', 'ci.key', '--tlog-upload=false']);
    expect(ok.status, ok.stderr).toBe(0);
  });
});
