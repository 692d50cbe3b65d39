import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import {
  dockerConfigCredentials,
  formatImageReference,
  type ImageReference,
  pullToOciLayout,
  RegistryClient,
  withDefaultTag,
} from '../../oci/index.js';
import { stageFromLayout } from './from-layout.js';
import type { BaseOptions, StageBase } from './model.js';

/**
 * A stage base pulled from a registry (every digest verified) into `<workDir>/pulled/<hash>`,
 * then read as a layout for the arch. The result is pinned: `pinned` is `registry/repo@digest`
 * with the digest the reference resolved to (an index's for a multi-platform image, as docker
 * pins it), `digest` the arch's manifest.
 *
 * @throws LarderError OFFLINE_MISS when offline; FETCH_* naming the reference when the registry
 *   cannot be reached or does not have the image.
 */
export async function stageFromRegistry(
  ref: ImageReference,
  spec: string,
  options: BaseOptions,
): Promise<StageBase> {
  const source = withDefaultTag(ref);
  const name = formatImageReference(source);
  if (options.offline === true)
    throw new LarderError('OFFLINE_MISS', `FROM ${spec}: pulling ${name} needs the network (--offline)`, {
      subject: spec,
    });
  const dir = join(options.workDir, 'pulled', createHash('sha256').update(name).digest('hex').slice(0, 16));
  const client = new RegistryClient({
    auth: dockerConfigCredentials(
      options.registry?.dockerConfig !== undefined ? { path: options.registry.dockerConfig } : {},
    ),
    ...(options.registry?.insecure === true ? { insecure: true } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  let top: string;
  try {
    top = (await pullToOciLayout(source, dir, { client })).descriptor.digest;
  } catch (err) {
    if (!(err instanceof LarderError)) throw err;
    throw new LarderError(err.code, `FROM ${spec}: cannot pull ${name}: ${err.message}`, {
      cause: err,
      subject: spec,
    });
  } finally {
    await client.close();
  }
  const base = await stageFromLayout({ dir, arch: options.arch, spec });
  const pinned = formatImageReference({
    registry: source.registry,
    repository: source.repository,
    digest: top,
  });
  return { ...base, pinned };
}
