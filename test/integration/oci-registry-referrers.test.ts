import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES, RegistryClient, referrersTag } from '../../src/oci/index.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// Debian's docker-registry 2.8 has no referrers API: the client must keep the sha256-<hex> tag.
const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

describe('referrers against docker-registry 2.8 (tag-schema fallback)', () => {
  let registry: LocalRegistry;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startLocalRegistry();
    client = new RegistryClient({ retryDelayMs: 1 });
  });
  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  const manifest = (extra: Record<string, unknown>, config: Buffer) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.manifest,
        config: { mediaType: MEDIA_TYPES.empty, digest: digestOf(config), size: config.length },
        layers: [],
        ...extra,
      }),
    );

  it('pushes referrers into the fallback index and lists them back, filtered by artifactType', async () => {
    const repo = { registry: registry.host, repository: 'trust/app' };
    const config = Buffer.from('{}');
    await client.pushBlob(repo, { digest: digestOf(config), size: 2, bytes: config });
    const image = manifest({ annotations: { role: 'image' } }, config);
    const imageDigest = await client.putManifest(repo, 'v1', image, MEDIA_TYPES.manifest);
    const subject = { mediaType: MEDIA_TYPES.manifest, digest: imageDigest, size: image.length };

    expect(await client.listReferrers(repo, imageDigest)).toEqual({ descriptors: [], source: 'tag' });
    const sig = manifest({ artifactType: 'application/x.sig', subject, annotations: { a: '1' } }, config);
    const att = manifest({ artifactType: 'application/x.att', subject }, config);
    expect(await client.pushReferrer(repo, sig, MEDIA_TYPES.manifest)).toEqual({
      digest: digestOf(sig),
      indexedBy: 'tag',
    });
    expect((await client.pushReferrer(repo, att, MEDIA_TYPES.manifest)).indexedBy).toBe('tag');
    await client.pushReferrer(repo, att, MEDIA_TYPES.manifest);

    const all = await client.listReferrers(repo, imageDigest);
    expect(all.source).toBe('tag');
    expect(all.descriptors).toEqual([
      {
        mediaType: MEDIA_TYPES.manifest,
        digest: digestOf(sig),
        size: sig.length,
        artifactType: 'application/x.sig',
        annotations: { a: '1' },
      },
      {
        mediaType: MEDIA_TYPES.manifest,
        digest: digestOf(att),
        size: att.length,
        artifactType: 'application/x.att',
      },
    ]);
    const atts = await client.listReferrers(repo, imageDigest, { artifactType: 'application/x.att' });
    expect(atts.descriptors.map((d) => d.digest)).toEqual([digestOf(att)]);
    expect((await client.listTags(repo, { pageSize: 1 })).sort()).toEqual(
      [referrersTag(imageDigest), 'v1'].sort(),
    );
    const stored = await client.getManifest(repo, referrersTag(imageDigest));
    expect(stored.mediaType).toBe(MEDIA_TYPES.index);
  });
});
