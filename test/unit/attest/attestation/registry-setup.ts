import { createHash } from 'node:crypto';
import { afterEach } from 'vitest';
import { imageSubject, makeStatement, predicateTypeFor } from '../../../../src/attest/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  RegistryClient,
  type RepositoryName,
} from '../../../../src/oci/index.js';
import { type FakeRegistryOptions, startFakeRegistry } from '../../../kit/fake-registry.js';

export const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

/** A fake registry and a client to it (closed after each test), and the repository `team/app`. */
export async function setup(options: FakeRegistryOptions = {}) {
  const registry = await startFakeRegistry(options);
  const client = new RegistryClient({ retryDelayMs: 1 });
  open.push(registry, client);
  const repo: RepositoryName = { registry: registry.host, repository: 'team/app' };
  return { registry, client, repo };
}

/** Pushes a small image manifest under `tag`; returns its descriptor. */
export async function pushImage(
  client: RegistryClient,
  repo: RepositoryName,
  tag: string,
): Promise<OCIDescriptor> {
  const config = Buffer.from(JSON.stringify({ tag }));
  await client.pushBlob(repo, { digest: digestOf(config), size: config.length, bytes: config });
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.config, digest: digestOf(config), size: config.length },
      layers: [],
    }),
  );
  await client.putManifest(repo, tag, bytes, MEDIA_TYPES.manifest);
  return { mediaType: MEDIA_TYPES.manifest, digest: digestOf(bytes), size: bytes.length };
}

/** An in-toto statement about `digest` in `repo` with a cosign `--type` predicate. */
export const statementFor = (
  repo: RepositoryName,
  digest: string,
  type: string,
  predicate: Record<string, unknown>,
) =>
  makeStatement(
    [imageSubject(`${repo.registry}/${repo.repository}`, digest)],
    predicateTypeFor(type),
    predicate,
  );
