import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachBundle,
  bundleFromEnvelope,
  imageSubject,
  loadSigningKey,
  makeStatement,
  signStatement,
  slsaProvenanceV1,
} from '../../src/attest/index.js';
import {
  MEDIA_TYPES,
  type OCIManifest,
  pushOciLayout,
  RegistryClient,
  type RepositoryName,
  sha256Digest,
} from '../../src/oci/index.js';
import { type CliResult, larder, larderAsync } from '../kit/cli.js';
import { type FakeRegistry, startFakeRegistry } from '../kit/fake-registry.js';
import { tempDir } from '../kit/paths.js';
import { startLocalRegistry } from '../kit/registry.js';

// `larder attest` / `larder verify-attestation` (the built CLI) in cosign's legacy `.att` layout:
// SLSA provenance v1, the SPDX and CycloneDX SBOMs `larder image build --sbom-dir` writes and an
// OpenVEX document, against Debian's docker-registry 2.8 and the fake registry (referrers API);
// tampering cases; openssl checks an envelope's PAE signature independently.

const TYPES = {
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  openvex: 'https://openvex.dev/ns',
} as const;
type Kind = keyof typeof TYPES;

const attTag = (digest: string) => `sha256-${digest.slice('sha256:'.length)}.att`;

let dir: string;
const predicates = {} as Record<Kind, string>;
const key = (name: string) => join(dir, name);

function ok(args: string[]): string {
  const r = larder(args, { cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  dir = await tempDir('larder-attest-');
  // An image built by larder from one APK, with its SBOMs.
  await mkdir(join(dir, 'libfoo', 'usr', 'share', 'libfoo'), { recursive: true });
  await writeFile(join(dir, 'libfoo', 'usr', 'share', 'libfoo', 'README'), 'libfoo\n');
  await mkdir(join(dir, 'repo', 'x86_64'), { recursive: true });
  ok(['keygen', '--name', 'apk', '--out', 'keys', '--bits', '2048']);
  ok([
    ...['apk', 'create', '--name', 'libfoo', '--version', '2.0-r0', '--arch', 'x86_64'],
    ...['--from', 'libfoo', '--sign-key', 'keys/apk.rsa', '-o', 'repo/x86_64/libfoo-2.0-r0.apk'],
  ]);
  ok([
    'index',
    '--sign-key',
    'keys/apk.rsa',
    '-o',
    'repo/x86_64/APKINDEX.tar.gz',
    'repo/x86_64/libfoo-2.0-r0.apk',
  ]);
  await writeFile(
    join(dir, 'image.yaml'),
    'contents:\n  keyring: [./keys/apk.rsa.pub]\n  repositories: [./repo]\n  packages: [libfoo]\n' +
      "archs: [x86_64]\nos-release:\n  id: wolfi\n  version-id: '20230201'\n",
  );
  ok(['image', 'build', 'image.yaml', '-o', 'layout', '-t', 'example/app:1', '--sbom-dir', 'sboms']);
  const sboms = await readdir(join(dir, 'sboms'));
  const pick = (re: RegExp) => join(dir, 'sboms', sboms.find((f) => re.test(f)) ?? `missing ${re}`);
  predicates.spdxjson = pick(/^sbom-index\.spdx\.json$/);
  predicates.cyclonedx = pick(/\.cdx\.json$/);
  predicates.slsaprovenance1 = join(dir, 'provenance.json');
  await writeFile(
    predicates.slsaprovenance1,
    JSON.stringify(
      slsaProvenanceV1({
        builderId: 'https://larder.dev/builder/test',
        buildType: 'https://larder.dev/image-build/v1',
        externalParameters: { config: 'image.yaml' },
        resolvedDependencies: [
          {
            name: 'libfoo-2.0-r0.apk',
            uri: 'file://repo/x86_64/libfoo-2.0-r0.apk',
            digest: { sha256: 'ab'.repeat(32) },
          },
        ],
        sourceDateEpoch: '1700000000',
      }),
    ),
  );
  predicates.openvex = join(dir, 'vex.json');
  await writeFile(
    predicates.openvex,
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://larder.dev/vex/test-1',
      author: 'larder tests',
      timestamp: '2023-11-14T22:13:20Z',
      version: 1,
      statements: [
        {
          vulnerability: { name: 'CVE-2099-1004' },
          products: [{ '@id': 'pkg:apk/wolfi/libfoo@2.0-r0' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_present',
        },
      ],
    }),
  );
  for (const name of ['k1', 'k2']) ok(['keygen', '--type', 'ecdsa-p256', '--name', name, '--out', dir]);
}, 180_000);

/** The same checks against a real and a fake registry. */
function suite(
  name: string,
  start: () => Promise<{ host: string; stop(): Promise<void>; log(): string }>,
  run: (args: string[]) => Promise<CliResult>,
) {
  describe(`larder attest / verify-attestation with ${name}`, () => {
    let registry: { host: string; stop(): Promise<void>; log(): string };
    let client: RegistryClient;
    let index: string;
    let child: string;
    const repoOf = (repository: string): RepositoryName => ({ registry: registry.host, repository });
    async function attManifest(repository: string, digest: string): Promise<OCIManifest> {
      const got = await client.getManifest(repoOf(repository), attTag(digest));
      return JSON.parse(got.bytes.toString('utf8')) as OCIManifest;
    }
    async function blobOf(repository: string, digest: string): Promise<Buffer> {
      const chunks: Uint8Array[] = [];
      for await (const c of await client.getBlob(repoOf(repository), { digest })) chunks.push(c);
      return Buffer.concat(chunks);
    }

    beforeAll(async () => {
      registry = await start();
      client = new RegistryClient();
      for (const repo of ['team/app', 'team/multi', 'team/tamper']) {
        await pushOciLayout(join(dir, 'layout'), `${registry.host}/${repo}:1`);
      }
      const top = await client.getManifest(repoOf('team/app'), '1');
      index = top.digest;
      expect(top.mediaType).toBe(MEDIA_TYPES.index);
      child = (JSON.parse(top.bytes.toString('utf8')) as { manifests: { digest: string }[] }).manifests[0]!
        .digest;
    }, 120_000);

    afterAll(async () => {
      await client?.close();
      await registry?.stop();
    });

    it('attests provenance, SPDX, CycloneDX and OpenVEX; verify-attestation prints each statement', async () => {
      const ref = `${registry.host}/team/app:1`;
      const kinds = Object.keys(TYPES) as Kind[];
      for (const kind of kinds) {
        const r = await run([
          'attest',
          ref,
          '--type',
          kind,
          '--predicate',
          predicates[kind],
          '--key',
          key('k1.key'),
        ]);
        expect(r.stderr, registry.log()).toBe('');
        expect(r.status).toBe(0);
        const at = (await client.getManifest(repoOf('team/app'), attTag(index))).digest;
        const referrers = await client.listReferrers(repoOf('team/app'), index);
        const bundle = referrers.descriptors.find(
          (d) => d.annotations?.['dev.sigstore.bundle.predicateType'] === TYPES[kind],
        );
        expect(r.stdout).toBe(`${index} legacy ${at}\n${index} bundle ${bundle?.digest}\n`);
      }
      const referrers = await client.listReferrers(repoOf('team/app'), index);
      expect(referrers.descriptors.map((d) => d.artifactType)).toEqual(
        kinds.map(() => 'application/vnd.dev.sigstore.bundle.v0.3+json'),
      );
      const manifest = await attManifest('team/app', index);
      expect(manifest.layers.map((l) => [l.mediaType, l.annotations?.predicateType])).toEqual(
        kinds.map((k) => ['application/vnd.dsse.envelope.v1+json', TYPES[k]]),
      );
      for (const kind of kinds) {
        const r = await run(['verify-attestation', ref, '--type', kind, '--key', key('k1.pub')]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const lines = r.stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(JSON.parse(lines[0]!)).toEqual({
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ name: `${registry.host}/team/app`, digest: { sha256: index.slice('sha256:'.length) } }],
          predicateType: TYPES[kind],
          predicate: JSON.parse(await readFile(predicates[kind], 'utf8')),
        });
      }
      // The same statement by the same key again: not appended.
      const again = await run([
        'attest',
        ref,
        '--type',
        'openvex',
        '--predicate',
        predicates.openvex,
        '--key',
        key('k1.key'),
      ]);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(
        /^\S+ legacy \S+ \(already attested\)\n\S+ bundle \S+ \(already attested\)\n$/,
      );
      expect((await attManifest('team/app', index)).layers).toHaveLength(4);
      expect((await client.listReferrers(repoOf('team/app'), index)).descriptors).toHaveLength(4);
    });

    it('openssl verifies the PAE signatures of the .att envelope and of the bundle taken from the registry', async () => {
      type Envelope = { payloadType: string; payload: string; signatures: { sig: string }[] };
      async function opensslVerify(envelope: Envelope, label: string): Promise<string> {
        const body = Buffer.from(envelope.payload, 'base64');
        const type = Buffer.from(envelope.payloadType);
        const paeBytes = Buffer.concat([
          Buffer.from(`DSSEv1 ${type.length} `),
          type,
          Buffer.from(` ${body.length} `),
          body,
        ]);
        const pae = join(dir, `pae-${label}.bin`);
        const sig = join(dir, `sig-${label}.der`);
        await writeFile(pae, paeBytes);
        await writeFile(sig, Buffer.from(envelope.signatures[0]!.sig, 'base64'));
        return execFileSync(
          'openssl',
          ['dgst', '-sha256', '-verify', key('k1.pub'), '-signature', sig, pae],
          {
            encoding: 'utf8',
          },
        ).trim();
      }
      const layer = (await attManifest('team/app', index)).layers[0]!;
      const blob = await blobOf('team/app', layer.digest);
      expect(sha256Digest(blob)).toBe(layer.digest);
      const legacy = JSON.parse(blob.toString('utf8')) as Envelope;
      expect(await opensslVerify(legacy, `${name}-legacy`)).toBe('Verified OK');

      const referrer = (await client.listReferrers(repoOf('team/app'), index)).descriptors[0]!;
      const manifest = JSON.parse(
        (await client.getManifest(repoOf('team/app'), referrer.digest)).bytes.toString('utf8'),
      ) as OCIManifest;
      expect(manifest.subject?.digest).toBe(index);
      const bundle = JSON.parse((await blobOf('team/app', manifest.layers[0]!.digest)).toString('utf8')) as {
        mediaType: string;
        dsseEnvelope: Envelope;
      };
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      // Both forms carry the same envelope.
      expect(bundle.dsseEnvelope).toEqual(legacy);
      expect(await opensslVerify(bundle.dsseEnvelope, `${name}-bundle`)).toBe('Verified OK');
    });

    it('exits 1 for another key, another type, a swapped subject and a changed payload', async () => {
      const ref = `${registry.host}/team/app:1`;
      const wrongKey = await run(['verify-attestation', ref, '--type', 'spdxjson', '--key', key('k2.pub')]);
      expect(wrongKey.status).toBe(1);
      expect(wrongKey.stdout).toBe('');
      expect(wrongKey.stderr).toMatch(
        /BAD legacy sha256:[0-9a-f]{64}: none of the envelope's 1 signature\(s\) verifies/,
      );
      expect(wrongKey.stderr).toMatch(/no valid https:\/\/spdx\.dev\/Document attestation by .*k2\.pub/);

      const otherType = await run(['verify-attestation', ref, '--type', 'vuln', '--key', key('k1.pub')]);
      expect(otherType.status).toBe(1);
      expect(otherType.stdout).toBe('');
      expect(otherType.stderr).toBe(
        `larder: no valid https://cosign.sigstore.dev/attestation/vuln/v1 attestation by ${key('k1.pub')} for ${index} (8 valid of other predicate types)\n`,
      );

      // The index's attestations copied to its child's .att tag.
      const copied = await client.getManifest(repoOf('team/app'), attTag(index));
      await client.putManifest(repoOf('team/app'), attTag(child), copied.bytes, MEDIA_TYPES.manifest);
      const swapped = await run([
        'verify-attestation',
        `${registry.host}/team/app@${child}`,
        '--type',
        'spdxjson',
        '--key',
        key('k1.pub'),
      ]);
      expect(swapped.status).toBe(1);
      expect(swapped.stdout).toBe('');
      expect(swapped.stderr).toContain(
        `the attestation is signed but none of its subjects has digest ${child}`,
      );

      // A changed payload: the envelope re-uploaded with one predicate field altered.
      const tref = `${registry.host}/team/tamper:1`;
      const made = await run([
        'attest',
        tref,
        '--format',
        'legacy',
        '--type',
        'openvex',
        '--predicate',
        predicates.openvex,
        '--key',
        key('k1.key'),
      ]);
      expect(made.status, made.stderr).toBe(0);
      expect(
        (await run(['verify-attestation', tref, '--type', 'openvex', '--key', key('k1.pub')])).status,
      ).toBe(0);
      const manifest = await attManifest('team/tamper', index);
      const layer = manifest.layers[0]!;
      const envelope = JSON.parse((await blobOf('team/tamper', layer.digest)).toString('utf8')) as {
        payload: string;
      };
      const statement = Buffer.from(envelope.payload, 'base64').toString('utf8');
      expect(statement).toContain('not_affected');
      const forged = Buffer.from(
        JSON.stringify({
          ...envelope,
          payload: Buffer.from(statement.replace('not_affected', 'affected')).toString('base64'),
        }),
      );
      const forgedDigest = sha256Digest(forged);
      await client.pushBlob(repoOf('team/tamper'), {
        digest: forgedDigest,
        size: forged.length,
        bytes: forged,
      });
      const tampered = Buffer.from(
        JSON.stringify({ ...manifest, layers: [{ ...layer, digest: forgedDigest, size: forged.length }] }),
      );
      await client.putManifest(repoOf('team/tamper'), attTag(index), tampered, MEDIA_TYPES.manifest);
      const changed = await run(['verify-attestation', tref, '--type', 'openvex', '--key', key('k1.pub')]);
      expect(changed.status).toBe(1);
      expect(changed.stdout).toBe('');
      expect(changed.stderr).toContain(
        `BAD legacy ${forgedDigest}: none of the envelope's 1 signature(s) verifies`,
      );

      // The same forgery as a bundle referrer of the child manifest.
      const k1 = loadSigningKey(await readFile(key('k1.key'), 'utf8'));
      const good = signStatement(
        k1,
        makeStatement([imageSubject(`${registry.host}/team/tamper`, child)], TYPES.openvex, {}),
      );
      const body = Buffer.from(good.payload, 'base64')
        .toString('utf8')
        .replace('"predicate":{}', '"predicate":{"x":1}');
      const forgedBundle = bundleFromEnvelope({ ...good, payload: Buffer.from(body).toString('base64') }, k1);
      const top = await client.getManifest(repoOf('team/tamper'), child);
      await attachBundle(
        client,
        repoOf('team/tamper'),
        { mediaType: top.mediaType, digest: child, size: top.bytes.length },
        forgedBundle,
      );
      const onChild = await run([
        'verify-attestation',
        `${registry.host}/team/tamper@${child}`,
        '--type',
        'openvex',
        '--key',
        key('k1.pub'),
      ]);
      expect(onChild.status).toBe(1);
      expect(onChild.stdout).toBe('');
      expect(onChild.stderr).toMatch(
        /BAD bundle sha256:[0-9a-f]{64}: signature does not verify with the key/,
      );
    });

    it('--recursive attests the index and each manifest; bad input exits 2 naming the file', async () => {
      const ref = `${registry.host}/team/multi:1`;
      const r = await run([
        'attest',
        ref,
        '--recursive',
        '--type',
        'spdxjson',
        '--predicate',
        predicates.spdxjson,
        '--key',
        key('k1.key'),
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(
        r.stdout
          .trimEnd()
          .split('\n')
          .map((l) => l.split(' ')[0]),
      ).toEqual([index, index, child, child]);
      const onChild = await run([
        'verify-attestation',
        `${registry.host}/team/multi@${child}`,
        '--type',
        'spdx',
        '--key',
        key('k1.pub'),
      ]);
      expect(onChild.status, onChild.stderr).toBe(0);
      expect(JSON.parse(onChild.stdout).subject[0].digest.sha256).toBe(child.slice('sha256:'.length));

      await writeFile(join(dir, 'broken.json'), '{"spdxVersion": ');
      const broken = await run([
        'attest',
        ref,
        '--type',
        'spdxjson',
        '--predicate',
        join(dir, 'broken.json'),
        '--key',
        key('k1.key'),
      ]);
      expect(broken.status).toBe(2);
      expect(broken.stderr).toContain(`predicate ${join(dir, 'broken.json')}: not JSON`);
      const unknown = await run([
        'attest',
        ref,
        '--type',
        'nonsense',
        '--predicate',
        predicates.spdxjson,
        '--key',
        key('k1.key'),
      ]);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain("predicate type 'nonsense'");
      const format = await run([
        'attest',
        ref,
        '--format',
        'sig',
        '--type',
        'spdx',
        '--predicate',
        predicates.spdxjson,
        '--key',
        key('k1.key'),
      ]);
      expect(format.status).toBe(2);
      expect(format.stderr).toContain("--format 'sig': expected one of legacy, bundle, both");
      const none = await run([
        'verify-attestation',
        `${registry.host}/team/multi:1`,
        '--type',
        'openvex',
        '--key',
        key('k1.pub'),
      ]);
      expect(none.status).toBe(1);
    });
  });
}

suite('docker-registry 2.8', startLocalRegistry, (args) => Promise.resolve(larder(args)));
suite(
  'the fake registry (referrers API)',
  async () => {
    const fake: FakeRegistry = await startFakeRegistry();
    return { host: fake.host, stop: () => fake.close(), log: () => '' };
  },
  larderAsync,
);
