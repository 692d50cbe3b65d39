/** Per image of the workspace: its resolution now and the version it has published (PlanInput.images). */
import type { Store } from '../../../store/index.js';
import type { Workspace } from '../../model.js';
import type { ImageState, PublishedImage } from '../../plan/index.js';
import { latestImageVersions, openFindings } from '../../state/index.js';
import type { ImageResolver } from './image-resolver.js';

/** How many images resolve at once (a cold start resolves every one). */
const PARALLEL = 4;

/**
 * The published side comes from the newest recorded version of each image: its lock and config
 * hashes, index digest, the feed version of its last scan and the time of that scan (the later of
 * its publication and its last succeeded rescan); `awaitingFix` when an open finding of the image
 * has no fix anywhere.
 */
export async function readImageStates(
  workspace: Workspace,
  store: Store,
  resolver: ImageResolver,
  repositoryDigest: string,
  rescannedAt: ReadonlyMap<string, string>,
): Promise<Record<string, ImageState>> {
  const versions = new Map((await latestImageVersions(store)).map((v) => [v.image, v]));
  const awaiting = new Set(
    (await openFindings(store)).filter((f) => f.state === 'awaiting-fix').map((f) => f.image),
  );
  const states: Record<string, ImageState> = {};
  const images = [...workspace.images];
  for (let i = 0; i < images.length; i += PARALLEL) {
    const batch = images.slice(i, i + PARALLEL);
    const resolutions = await Promise.all(
      batch.map((image) => resolver.resolve(workspace, image, repositoryDigest)),
    );
    batch.forEach((image, j) => {
      const version = versions.get(image.name);
      let published: PublishedImage | undefined;
      if (version !== undefined) {
        const rescan = rescannedAt.get(`${image.name} ${version.indexDigest}`);
        published = {
          lockHash: version.lockHash,
          configHash: version.configHash,
          digest: version.indexDigest,
          scannedFeedVersion: version.feedVersion ?? '',
          scannedAt: rescan !== undefined && rescan > version.publishedAt ? rescan : version.publishedAt,
          awaitingFix: awaiting.has(image.name),
        };
      }
      states[image.name] = {
        resolution: resolutions[j] ?? { problem: 'not resolved' },
        ...(published === undefined ? {} : { published }),
      };
    });
  }
  return states;
}
