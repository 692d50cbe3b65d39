import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_TYPES, RegistryClient, referrersTag } from '../../../src/oci/index.js';
import { type FakeRegistryOptions, startFakeRegistry } from '../../kit/fake-registry.js';

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

async function setup(fake: FakeRegistryOptions = {}) {
  const registry = await startFakeRegistry(fake);
  const client = new RegistryClient({ retryDelayMs: 1 });
  open.push(registry, client);
  return { registry, client, repo: { registry: registry.host, repository: 'team/app' } };
}

/** Pushes an empty-config image manifest (optionally with a subject and artifactType). */
async function pushManifest(
  client: RegistryClient,
  repo: { registry: string; repository: string },
  extra: Record<string, unknown>,
): Promise<{ bytes: Buffer; digest: string }> {
  const config = Buffer.from('{}');
  await client.pushBlob(repo, { digest: digestOf(config), size: 2, bytes: config });
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.empty, digest: digestOf(config), size: 2 },
      layers: [],
      ...extra,
    }),
  );
  return { bytes, digest: digestOf(bytes) };
}

async function subjectImage(client: RegistryClient, repo: { registry: string; repository: string }) {
  const image = await pushManifest(client, repo, { annotations: { what: 'image' } });
  await client.putManifest(repo, 'v1', image.bytes, MEDIA_TYPES.manifest);
  return { mediaType: MEDIA_TYPES.manifest, digest: image.digest, size: image.bytes.length };
}

describe('tag listing', () => {
  it('pages with n and last when the registry sends no Link header', async () => {
    const { registry, client, repo } = await setup({ tagsLink: false });
    const image = await pushManifest(client, repo, {});
    for (const tag of ['e', 'a', 'd', 'b', 'c'])
      await client.putManifest(repo, tag, image.bytes, MEDIA_TYPES.manifest);
    expect(await client.listTags(repo, { pageSize: 2 })).toEqual(['a', 'b', 'c', 'd', 'e']);
    const lists = registry.requests.filter((r) => r.path.endsWith('/tags/list'));
    expect(lists.map((r) => [r.query.get('n'), r.query.get('last')])).toEqual([
      ['2', null],
      ['2', 'b'],
      ['2', 'd'],
    ]);
  });

  it('follows Link headers with a page size', async () => {
    const { registry, client, repo } = await setup();
    const image = await pushManifest(client, repo, {});
    for (const tag of ['x', 'y', 'z']) await client.putManifest(repo, tag, image.bytes, MEDIA_TYPES.manifest);
    expect(await client.listTags(repo, { pageSize: 1 })).toEqual(['x', 'y', 'z']);
    expect(registry.requests.filter((r) => r.path.endsWith('/tags/list'))).toHaveLength(3);
  });
});

describe('referrers', () => {
  it('names the fallback tag by the tag schema', () => {
    const hex = 'a'.repeat(64);
    expect(referrersTag(`sha256:${hex}`)).toBe(`sha256-${hex}`);
    expect(referrersTag(`sha512:${'b'.repeat(128)}`)).toBe(`sha512-${'b'.repeat(64)}`);
    expect(() => referrersTag('nope')).toThrow(/not a digest/);
  });

  it('uses the referrers API: OCI-Subject on push, artifactType filter, pages', async () => {
    const { registry, client, repo } = await setup({ referrersPageSize: 1 });
    const subject = await subjectImage(client, repo);
    const sig = await pushManifest(client, repo, { artifactType: 'application/x.sig', subject });
    const att = await pushManifest(client, repo, {
      artifactType: 'application/x.att',
      subject,
      annotations: { kind: 'att' },
    });
    expect(await client.pushReferrer(repo, sig.bytes, MEDIA_TYPES.manifest)).toEqual({
      digest: sig.digest,
      indexedBy: 'api',
    });
    expect((await client.pushReferrer(repo, att.bytes, MEDIA_TYPES.manifest)).indexedBy).toBe('api');
    expect(registry.manifests.get('team/app')?.has(referrersTag(subject.digest))).toBe(false);

    const all = await client.listReferrers(repo, subject.digest);
    expect(all.source).toBe('api');
    expect(all.descriptors.map((d) => d.digest).sort()).toEqual([sig.digest, att.digest].sort());
    const filtered = await client.listReferrers(repo, subject.digest, { artifactType: 'application/x.att' });
    expect(filtered.descriptors).toEqual([
      {
        mediaType: MEDIA_TYPES.manifest,
        digest: att.digest,
        size: att.bytes.length,
        artifactType: 'application/x.att',
        annotations: { kind: 'att' },
      },
    ]);
    expect(registry.requests.filter((r) => r.path.includes('/referrers/')).length).toBe(3);
  });

  it('filters client-side when the registry did not apply the filter', async () => {
    const { client, repo } = await setup({ referrersFilter: false });
    const subject = await subjectImage(client, repo);
    for (const type of ['application/x.a', 'application/x.b']) {
      const m = await pushManifest(client, repo, { artifactType: type, subject });
      await client.pushReferrer(repo, m.bytes, MEDIA_TYPES.manifest);
    }
    const got = await client.listReferrers(repo, subject.digest, { artifactType: 'application/x.b' });
    expect(got.descriptors.map((d) => d.artifactType)).toEqual(['application/x.b']);
  });

  it('falls back to the sha256-<hex> tag index when the registry has no API', async () => {
    const { registry, client, repo } = await setup({ referrers: false });
    const subject = await subjectImage(client, repo);
    expect(await client.listReferrers(repo, subject.digest)).toEqual({ descriptors: [], source: 'tag' });
    const sig = await pushManifest(client, repo, { subject, annotations: { n: '1' } });
    const att = await pushManifest(client, repo, { artifactType: 'application/x.att', subject });
    expect(await client.pushReferrer(repo, sig.bytes, MEDIA_TYPES.manifest)).toEqual({
      digest: sig.digest,
      indexedBy: 'tag',
    });
    await client.pushReferrer(repo, att.bytes, MEDIA_TYPES.manifest);
    await client.pushReferrer(repo, att.bytes, MEDIA_TYPES.manifest); // listed once
    const tag = referrersTag(subject.digest);
    const index = JSON.parse(registry.manifests.get('team/app')!.get(tag)!.bytes.toString());
    expect(index).toEqual({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [
        {
          mediaType: MEDIA_TYPES.manifest,
          digest: sig.digest,
          size: sig.bytes.length,
          artifactType: MEDIA_TYPES.empty,
          annotations: { n: '1' },
        },
        {
          mediaType: MEDIA_TYPES.manifest,
          digest: att.digest,
          size: att.bytes.length,
          artifactType: 'application/x.att',
        },
      ],
    });
    const listed = await client.listReferrers(repo, subject.digest, { artifactType: 'application/x.att' });
    expect(listed.source).toBe('tag');
    expect(listed.descriptors.map((d) => d.digest)).toEqual([att.digest]);
  });

  it('refuses a referrer without a subject, and a fallback tag that is not an index', async () => {
    const { client, repo } = await setup({ referrers: false });
    const plain = await pushManifest(client, repo, {});
    await expect(client.pushReferrer(repo, plain.bytes, MEDIA_TYPES.manifest)).rejects.toMatchObject({
      code: 'USAGE',
    });
    const subject = await subjectImage(client, repo);
    await client.putManifest(repo, referrersTag(subject.digest), plain.bytes, MEDIA_TYPES.manifest);
    expect((await client.listReferrers(repo, subject.digest)).descriptors).toEqual([]);
    const ref = await pushManifest(client, repo, { subject });
    await expect(client.pushReferrer(repo, ref.bytes, MEDIA_TYPES.manifest)).rejects.toThrow(
      /not the referrers index/,
    );
  });
});
