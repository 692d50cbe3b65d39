import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEDIA_TYPES,
  type OCILayoutResult,
  pushOciLayout,
  RegistryClient,
  referrersTag,
} from '../../src/oci/index.js';
import { larder } from '../kit/cli.js';
import { writeSampleLayout } from '../kit/oci-images.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// `larder image pull` and `larder image copy` (the built CLI) against Debian's docker-registry
// 2.8; skopeo reads what was copied.
const skopeo = (args: string[]) =>
  execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('larder image pull / image copy with docker-registry', () => {
  let one: LocalRegistry;
  let two: LocalRegistry;
  let dir: string;
  let written: OCILayoutResult;

  beforeAll(async () => {
    [one, two] = await Promise.all([startLocalRegistry(), startLocalRegistry()]);
    dir = await tempDir();
    ({ written } = await writeSampleLayout(dir, { noiseSize: 200_000 }));
    await pushOciLayout(join(dir, 'layout'), `${one.host}/team/app:1.0`);
  });

  afterAll(async () => {
    await one?.stop();
    await two?.stop();
  });

  it('pulls every platform into an OCI layout with the same digests; prints the digest', async () => {
    const out = join(dir, 'pulled');
    const r = larder(['image', 'pull', `${one.host}/team/app:1.0`, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${written.index.digest}\n`);
    const index = JSON.parse(await readFile(join(out, 'index.json'), 'utf8'));
    expect(index.manifests).toEqual([
      {
        mediaType: MEDIA_TYPES.index,
        digest: written.index.digest,
        size: written.index.size,
        annotations: { 'org.opencontainers.image.ref.name': '1.0' },
      },
    ]);
    const blobs = await readdir(join(out, 'blobs', 'sha256'));
    for (const image of written.images) {
      expect(blobs).toContain(image.manifest.digest.slice(7));
      expect(blobs).toContain(image.config.digest.slice(7));
    }
    // skopeo reads the pulled layout; pulling again replaces the layout.
    const raw = JSON.parse(skopeo(['inspect', '--raw', `oci:${out}:1.0`]));
    expect(raw.manifests).toHaveLength(2);
    expect(larder(['image', 'pull', `${one.host}/team/app@${written.index.digest}`, '-o', out]).status).toBe(
      0,
    );
  });

  it('refuses to replace a directory that is not an OCI layout, and a missing image', async () => {
    const notLayout = join(dir, 'not-layout');
    await mkdir(notLayout, { recursive: true });
    await writeFile(join(notLayout, 'keep.txt'), 'mine');
    const r = larder(['image', 'pull', `${one.host}/team/app:1.0`, '-o', notLayout]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/not-layout/);
    expect(await readFile(join(notLayout, 'keep.txt'), 'utf8')).toBe('mine');
    const missing = larder(['image', 'pull', `${one.host}/team/none:1`, '-o', join(dir, 'none')]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/team\/none/);
  });

  it('copies within a registry (mounts) and to another registry; skopeo sees the same digest', async () => {
    // Something attached to the index: a referrer (fallback tag on 2.8) and a cosign .sig tag.
    const digestOf = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    const client = new RegistryClient();
    const src = { registry: one.host, repository: 'team/app' };
    const empty = Buffer.from('{}');
    const payload = Buffer.from('{"signed":true}');
    for (const b of [empty, payload])
      await client.pushBlob(src, { digest: digestOf(b), size: b.length, bytes: b });
    const artifact = (extra: Record<string, unknown>) =>
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.manifest,
          config: { mediaType: MEDIA_TYPES.empty, digest: digestOf(empty), size: 2 },
          layers: [{ mediaType: 'application/x.payload', digest: digestOf(payload), size: payload.length }],
          ...extra,
        }),
      );
    const subject = { mediaType: MEDIA_TYPES.index, digest: written.index.digest, size: written.index.size };
    const referrer = artifact({ artifactType: 'application/x.bundle', subject });
    await client.pushReferrer(src, referrer, MEDIA_TYPES.manifest);
    const sigTag = `${referrersTag(written.index.digest)}.sig`;
    const sig = artifact({});
    await client.putManifest(src, sigTag, sig, MEDIA_TYPES.manifest);

    const same = larder([
      'image',
      'copy',
      `${one.host}/team/app:1.0`,
      `${one.host}/other/app`,
      '-t',
      'stable',
    ]);
    expect(same.stderr).toBe('');
    expect(same.status).toBe(0);
    expect(same.stdout).toBe(`${written.index.digest}\n`);
    for (const tag of ['1.0', 'stable']) {
      const inspected = JSON.parse(
        skopeo(['inspect', '--tls-verify=false', `docker://${one.host}/other/app:${tag}`]),
      );
      expect(inspected.Digest).toBe(written.index.digest);
    }

    const across = larder(['image', 'copy', `${one.host}/other/app:stable`, `${two.host}/mirror/app:9`]);
    expect(across.status).toBe(0);
    expect(across.stdout).toBe(`${written.index.digest}\n`);
    const raw = JSON.parse(
      skopeo(['inspect', '--tls-verify=false', '--raw', `docker://${two.host}/mirror/app:9`]),
    );
    expect(raw.manifests.map((m: { digest: string }) => m.digest)).toEqual(
      written.images.map((i) => i.manifest.digest),
    );
    // skopeo copies every layer out of the copy (blobs are really there).
    skopeo([
      'copy',
      '--all',
      '--src-tls-verify=false',
      `docker://${two.host}/mirror/app:9`,
      `oci:${join(dir, 'sk')}:x`,
    ]);

    const mirror = { registry: two.host, repository: 'mirror/app' };
    const listed = await client.listReferrers(mirror, written.index.digest);
    expect(listed.descriptors.map((d) => [d.digest, d.artifactType])).toEqual([
      [digestOf(referrer), 'application/x.bundle'],
    ]);
    expect((await client.getManifest(mirror, sigTag)).digest).toBe(digestOf(sig));
    const bare = larder([
      'image',
      'copy',
      '--no-attached',
      `${one.host}/team/app:1.0`,
      `${two.host}/bare/app`,
    ]);
    expect(bare.status).toBe(0);
    expect(await client.headManifest({ registry: two.host, repository: 'bare/app' }, sigTag)).toBeUndefined();
    await client.close();

    const bad = larder([
      'image',
      'copy',
      `${one.host}/team/app:1.0`,
      `${two.host}/mirror/app@sha256:${'0'.repeat(64)}`,
    ]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/names sha256:0+/);
  });
});
