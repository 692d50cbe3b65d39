/**
 * Image resolutions for the plan: each image's config resolved against the repository as it is
 * now, as the compose job resolves it (src/factory/jobs/compose/image-config.ts), down to the
 * lock hash. Cached by (config hash, repository digest): a reconcile where neither changed
 * resolves nothing, so 200 images cost 200 map lookups.
 */
import { fileResolutionCache, type LockPackage, makeLock } from '../../../image/index.js';
import { createFetcher } from '../../../repo/index.js';
import { imageLockHash, loadWorkspaceImageConfig } from '../../jobs/compose/image-config.js';
import type { Workspace, WorkspaceImage } from '../../model.js';
import type { ImageResolution } from '../../plan/index.js';

/** Resolves one image now; throws when it does not resolve (the message becomes the problem). */
export type LockHashOf = (workspace: Workspace, image: WorkspaceImage) => Promise<string>;

export interface ImageResolver {
  /** The image's resolution against the repository whose digest is `repositoryDigest`. */
  resolve(workspace: Workspace, image: WorkspaceImage, repositoryDigest: string): Promise<ImageResolution>;
  /** Resolutions computed (cache misses) so far. */
  readonly misses: () => number;
}

/** The real resolution: the config with the workspace repositories, locked (packages measured once, cached under stateDir). */
export function lockHashResolver(stateDir: string): LockHashOf {
  return async (workspace, image) => {
    const loaded = await loadWorkspaceImageConfig(workspace, image.configFile);
    const fetcher = createFetcher({ stateDir });
    try {
      const lock = await makeLock({
        loaded,
        fetcher,
        stateDir,
        cache: fileResolutionCache<LockPackage[]>(stateDir),
      });
      return imageLockHash(lock);
    } finally {
      await fetcher.close();
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A resolver remembering the last resolution of each image with the inputs it had; an image
 * whose config hash and repository digest are unchanged is not resolved again. Extra
 * repositories outside the workspace are part of the key by location only.
 */
export function createImageResolver(lockHashOf: LockHashOf): ImageResolver {
  const last = new Map<string, { readonly key: string; readonly resolution: ImageResolution }>();
  let misses = 0;
  return {
    async resolve(workspace, image, repositoryDigest) {
      if (image.problem !== undefined) return { problem: image.problem };
      const { extraRepositories, extraKeyring } = workspace.config.repository;
      const key = [
        image.configFile,
        image.hash,
        repositoryDigest,
        ...extraRepositories,
        ...extraKeyring,
      ].join('\n');
      const held = last.get(image.name);
      if (held?.key === key) return held.resolution;
      misses++;
      let resolution: ImageResolution;
      try {
        resolution = { lockHash: await lockHashOf(workspace, image) };
      } catch (error) {
        resolution = { problem: `does not resolve: ${messageOf(error)}` };
      }
      last.set(image.name, { key, resolution });
      return resolution;
    },
    misses: () => misses,
  };
}
