import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, Verifier } from '@sigstore/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachBundle,
  COSIGN_SIGN_PREDICATE,
  IN_TOTO_PAYLOAD_TYPE,
  loadVerifyingKey,
  pae,
  parseBundle,
  SIGSTORE_BUNDLE_V03,
} from '../../src/attest/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIManifest,
  pushOciLayout,
  RegistryClient,
  type RepositoryName,
  sha256Digest,
} from '../../src/oci/index.js';
import { larderAsync } from '../kit/cli.js';
import { startFakeRegistry } from '../kit/fake-registry.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { tempDir } from '../kit/paths.js';
import { startLocalRegistry } from '../kit/registry.js';

// `larder sign` / `larder verify` (the built CLI) with sigstore bundle v0.3 referrers next to the
// legacy `.sig` tag, against Debian's docker-registry 2.8 (no referrers API: the sha256-<hex>
// fallback index) and the fake registry (referrers API). Bundles are checked independently with
// @sigstore/bundle + @sigstore/verify and openssl over the DSSE PAE bytes; skopeo reads the image.

const run = promisify(execFile);

const larder = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => larderAsync(args, { env });

interface Peer {
  readonly host: string;
  stop(): Promise<void>;
}

const REPOS = [
  'team/app',
  'team/cross',
  'team/scratch',
  'team/tamper',
  'team/bonly',
  'team/lonly',
  'team/plain',
  'team/multi',
];
const sigTag = (digest: string) => `sha256-${digest.slice('sha256:'.length)}.sig`;
const fallbackTag = (digest: string) => `sha256-${digest.slice('sha256:'.length)}`;

function suite(name: string, start: () => Promise<Peer>, source: 'api' | 'tag'): void {
  describe(`larder sign / verify with sigstore bundles: ${name}`, () => {
    let peer: Peer;
    let dir: string;
    let client: RegistryClient;
    let index: OCIDescriptor;
    let children: OCIDescriptor[];
    const key = (file: string) => join(dir, file);
    const repoOf = (repository: string): RepositoryName => ({ registry: peer.host, repository });
    const ref = (repository: string, at = ':1.0') => `${peer.host}/${repository}${at}`;

    async function blobOf(repository: string, digest: string): Promise<Buffer> {
      const chunks: Uint8Array[] = [];
      for await (const c of await client.getBlob(repoOf(repository), { digest })) chunks.push(c);
      return Buffer.concat(chunks);
    }
    async function referrerManifests(repository: string, digest: string): Promise<[string, OCIManifest][]> {
      const listed = await client.listReferrers(repoOf(repository), digest);
      expect(listed.source).toBe(source);
      const out: [string, OCIManifest][] = [];
      for (const d of listed.descriptors) {
        const got = await client.getManifest(repoOf(repository), d.digest);
        out.push([d.digest, JSON.parse(got.bytes.toString('utf8')) as OCIManifest]);
      }
      return out;
    }

    beforeAll(async () => {
      peer = await start();
      dir = await tempDir('larder-bundle-');
      client = new RegistryClient();
      await writeSampleLayout(dir);
      for (const repo of REPOS) await pushOciLayout(join(dir, 'layout'), ref(repo), { client });
      const top = await client.getManifest(repoOf('team/app'), '1.0');
      index = { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length };
      children = (JSON.parse(top.bytes.toString('utf8')) as { manifests: OCIDescriptor[] }).manifests;
      for (const k of ['k1', 'k2']) {
        const r = await larder(['keygen', '--type', 'ecdsa-p256', '--name', k, '--out', dir]);
        expect(r.status, r.stderr).toBe(0);
      }
    }, 120_000);

    afterAll(async () => {
      await client?.close();
      await peer?.stop();
    });

    it('signs in both forms; the referrer, its bundle and the fallback tag are as cosign writes them', async () => {
      const signed = await larder(['sign', ref('team/app'), '--key', key('k1.key')], {
        SOURCE_DATE_EPOCH: '1700000000',
      });
      expect(signed.stderr).toBe('');
      expect(signed.status).toBe(0);
      const legacyManifest = (await client.getManifest(repoOf('team/app'), sigTag(index.digest))).digest;
      const referrers = await referrerManifests('team/app', index.digest);
      expect(referrers).toHaveLength(1);
      const [referrerDigest, manifest] = referrers[0]!;
      expect(signed.stdout).toBe(
        `${index.digest} legacy ${legacyManifest}\n${index.digest} bundle ${referrerDigest}\n`,
      );

      expect(manifest.mediaType).toBe(MEDIA_TYPES.manifest);
      expect(manifest.artifactType).toBe(SIGSTORE_BUNDLE_V03);
      expect(manifest.config).toEqual({
        mediaType: MEDIA_TYPES.empty,
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      });
      expect(manifest.layers).toHaveLength(1);
      expect(manifest.layers[0]!.mediaType).toBe(SIGSTORE_BUNDLE_V03);
      expect(manifest.subject).toEqual(index);
      expect(manifest.annotations).toEqual({
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': COSIGN_SIGN_PREDICATE,
        'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
      });
      if (source === 'tag') {
        const fallback = await client.getManifest(repoOf('team/app'), fallbackTag(index.digest));
        const entries = (JSON.parse(fallback.bytes.toString('utf8')) as { manifests: OCIDescriptor[] })
          .manifests;
        expect(entries).toEqual([
          {
            mediaType: MEDIA_TYPES.manifest,
            artifactType: SIGSTORE_BUNDLE_V03,
            digest: referrerDigest,
            size: expect.any(Number),
            annotations: manifest.annotations,
          },
        ]);
      }

      // The independent path: @sigstore/bundle parses the blob, @sigstore/verify verifies it with
      // the public key alone, and openssl verifies the DSSE signature over the PAE bytes.
      const bytes = await blobOf('team/app', manifest.layers[0]!.digest);
      const json = JSON.parse(bytes.toString('utf8'));
      const parsed = bundleFromJSON(json);
      const pub = loadVerifyingKey(await (await import('node:fs/promises')).readFile(key('k1.pub'), 'utf8'));
      const trust = (publicKey: typeof pub.publicKey) => ({
        certificateAuthorities: [],
        timestampAuthorities: [],
        tlogs: [],
        ctlogs: [],
        publicKey: () => ({ publicKey, validFor: () => true }),
      });
      const options = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
      expect(() => new Verifier(trust(pub.publicKey), options).verify(toSignedEntity(parsed))).not.toThrow();
      const payload = Buffer.from(json.dsseEnvelope.payload, 'base64');
      expect(JSON.parse(payload.toString('utf8'))).toEqual({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ digest: { sha256: index.digest.slice('sha256:'.length) } }],
        predicateType: COSIGN_SIGN_PREDICATE,
        predicate: {},
      });
      await writeFile(key('pae.bin'), pae(IN_TOTO_PAYLOAD_TYPE, payload));
      await writeFile(key('sig.der'), Buffer.from(json.dsseEnvelope.signatures[0].sig, 'base64'));
      const openssl = await run('openssl', [
        ...['dgst', '-sha256', '-verify', key('k1.pub'), '-signature', key('sig.der'), key('pae.bin')],
      ]);
      expect(openssl.stdout.trim()).toBe('Verified OK');

      const ok = await larder(['verify', ref('team/app'), '--key', key('k1.pub')]);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toBe(
        `OK bundle ${index.digest} signed by ${key('k1.pub')} (${COSIGN_SIGN_PREDICATE})\n` +
          `OK legacy ${index.digest} signed by ${key('k1.pub')}\n`,
      );
      expect(ok.status).toBe(0);

      // Signing again adds nothing in either form.
      const again = await larder(['sign', ref('team/app'), '--key', key('k1.key')]);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toBe(
        `${index.digest} legacy ${legacyManifest} (already signed)\n` +
          `${index.digest} bundle ${referrerDigest} (already signed)\n`,
      );
      expect(await referrerManifests('team/app', index.digest)).toHaveLength(1);

      // skopeo still reads the image (and the index is unchanged).
      const raw = await run(
        'skopeo',
        ['inspect', '--tls-verify=false', '--raw', `docker://${ref('team/app')}`],
        {
          encoding: 'buffer',
        },
      );
      expect(sha256Digest(raw.stdout)).toBe(index.digest);
      const inspected = JSON.parse(
        (
          await run('skopeo', [
            'inspect',
            '--tls-verify=false',
            '--override-arch',
            'amd64',
            `docker://${ref('team/app')}`,
          ])
        ).stdout,
      ) as { Digest: string };
      expect(inspected.Digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });

    it('image copy carries both forms along: the copy verifies', async () => {
      const copied = await larder(['image', 'copy', ref('team/app'), ref('team/copied')]);
      expect(copied.status, copied.stderr).toBe(0);
      const v = await larder(['verify', ref('team/copied'), '--key', key('k1.pub')]);
      expect(v.stdout).toBe(
        `OK bundle ${index.digest} signed by ${key('k1.pub')} (${COSIGN_SIGN_PREDICATE})\n` +
          `OK legacy ${index.digest} signed by ${key('k1.pub')}\n`,
      );
      expect(v.status).toBe(0);
    });

    it('another key: exit 1 with a BAD line per signature', async () => {
      const r = await larder(['verify', ref('team/app'), '--key', key('k2.pub')]);
      expect(r.status).toBe(1);
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^BAD bundle sha256:[0-9a-f]{64}: signature does not verify with the key \(signature verification failed\)$/,
      );
      expect(lines[1]).toMatch(/^BAD legacy sha256:[0-9a-f]{64}: the signature does not verify/);
      expect(r.stderr).toBe(`larder: no valid signature by ${key('k2.pub')} for ${index.digest}\n`);
    });

    it("rejects image A's bundle attached as a referrer of image B", async () => {
      const signed = await larder(['sign', ref('team/cross'), '--key', key('k1.key'), '--format', 'bundle']);
      expect(signed.status, signed.stderr).toBe(0);
      const [[, manifest]] = (await referrerManifests('team/cross', index.digest)) as [[string, OCIManifest]];
      const b = children[0]!;
      const moved = { ...manifest, subject: { mediaType: b.mediaType, digest: b.digest, size: b.size } };
      await client.pushReferrer(
        repoOf('team/cross'),
        Buffer.from(JSON.stringify(moved)),
        MEDIA_TYPES.manifest,
      );
      const r = await larder(['verify', ref('team/cross', `@${b.digest}`), '--key', key('k1.pub')]);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `^BAD bundle sha256:[0-9a-f]{64}: the statement's subjects \\(${index.digest}\\) do not include ${b.digest}\n$`,
        ),
      );
      expect(r.stderr).toBe(`larder: no valid signature by ${key('k1.pub')} for ${b.digest}\n`);
    });

    it('rejects a tampered payload', async () => {
      const signed = await larder([
        'sign',
        ref('team/scratch'),
        '--key',
        key('k1.key'),
        '--format',
        'bundle',
      ]);
      expect(signed.status, signed.stderr).toBe(0);
      const [[, manifest]] = (await referrerManifests('team/scratch', index.digest)) as [
        [string, OCIManifest],
      ];
      const json = JSON.parse((await blobOf('team/scratch', manifest.layers[0]!.digest)).toString('utf8'));
      const statement = JSON.parse(Buffer.from(json.dsseEnvelope.payload, 'base64').toString('utf8'));
      statement.predicate = { forged: true };
      json.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
      const bundle = parseBundle(Buffer.from(JSON.stringify(json)), 'tampered');
      const attached = await attachBundle(client, repoOf('team/tamper'), index, bundle);
      expect(attached.added).toBe(true);
      const r = await larder(['verify', ref('team/tamper'), '--key', key('k1.pub')]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe(
        `BAD bundle ${attached.manifestDigest}: signature does not verify with the key (signature verification failed)\n`,
      );
    });

    it('a bundle-only image verifies; so does a legacy-only one', async () => {
      const b = await larder(['sign', ref('team/bonly'), '--key', key('k1.key'), '--format', 'bundle']);
      expect(b.status, b.stderr).toBe(0);
      expect(b.stdout).toMatch(new RegExp(`^${index.digest} bundle sha256:[0-9a-f]{64}\n$`));
      expect(await client.headManifest(repoOf('team/bonly'), sigTag(index.digest))).toBeUndefined();
      const vb = await larder(['verify', ref('team/bonly'), '--key', key('k1.pub')]);
      expect(vb.stderr).toBe('');
      expect(vb.stdout).toBe(
        `OK bundle ${index.digest} signed by ${key('k1.pub')} (${COSIGN_SIGN_PREDICATE})\n`,
      );
      expect(vb.status).toBe(0);

      const l = await larder(['sign', ref('team/lonly'), '--key', key('k1.key'), '--format', 'legacy']);
      expect(l.status, l.stderr).toBe(0);
      expect(l.stdout).toMatch(new RegExp(`^${index.digest} legacy sha256:[0-9a-f]{64}\n$`));
      expect((await client.listReferrers(repoOf('team/lonly'), index.digest)).descriptors).toEqual([]);
      const vl = await larder(['verify', ref('team/lonly'), '--key', key('k1.pub')]);
      expect(vl.stdout).toBe(`OK legacy ${index.digest} signed by ${key('k1.pub')}\n`);
      expect(vl.status).toBe(0);
    });

    it('--recursive signs the index and each manifest in both forms', async () => {
      const r = await larder(['sign', ref('team/multi'), '--key', key('k1.key'), '--recursive']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const digests = [index.digest, ...children.map((c) => c.digest)];
      expect(
        r.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(' ').slice(0, 2).join(' ')),
      ).toEqual(digests.flatMap((d) => [`${d} legacy`, `${d} bundle`]));
      for (const digest of digests) {
        const v = await larder(['verify', ref('team/multi', `@${digest}`), '--key', key('k1.pub')]);
        expect(v.stdout).toBe(
          `OK bundle ${digest} signed by ${key('k1.pub')} (${COSIGN_SIGN_PREDICATE})\n` +
            `OK legacy ${digest} signed by ${key('k1.pub')}\n`,
        );
        expect(v.status).toBe(0);
      }
    });

    it('no signature in either form: exit 1 with a clear message; a bad --format is a usage error', async () => {
      const r = await larder(['verify', ref('team/plain'), '--key', key('k1.pub')]);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `larder: no signatures for ${index.digest}: no sigstore bundle referrers and tag ${sigTag(index.digest)} not found\n`,
      );
      const bad = await larder(['sign', ref('team/plain'), '--key', key('k1.key'), '--format', 'x']);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe("larder: USAGE: --format 'x': expected one of legacy, bundle, both\n");
    });
  });
}

suite(
  'docker-registry 2.8 (fallback tag)',
  async () => {
    const registry = await startLocalRegistry();
    return { host: registry.host, stop: () => registry.stop() };
  },
  'tag',
);
suite(
  'the fake registry (referrers API)',
  async () => {
    const fake = await startFakeRegistry();
    return { host: fake.host, stop: () => fake.close() };
  },
  'api',
);
