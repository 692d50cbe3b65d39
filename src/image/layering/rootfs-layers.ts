import { LarderError } from '../../core/index.js';
import type { AssembledRootfs } from '../assemble/assemble.js';
import { layerTar } from '../assemble/layer-tar.js';
import type { ImageLayering } from '../config/model.js';
import { groupPackages } from './group-packages.js';
import { layeringProblem, layeringRequested } from './layering-config.js';
import { splitLayers } from './split-layers.js';

/**
 * The uncompressed layer tars of an assembled root filesystem, bottom first: the single layer,
 * or with `layering: {strategy: origin, budget: N}` at most N package layers grouped by origin
 * ({@link groupPackages}, {@link splitLayers}) and the top layer. Each tar is produced when read;
 * read them one after the other. A missing budget counts as 1, apko's zero value.
 *
 * @throws LarderError CONFIG_INVALID for an unknown strategy or a budget below 1 (the config
 *   loader reports these first, with their line).
 */
export function rootfsLayers(
  rootfs: Pick<AssembledRootfs, 'tar' | 'tree' | 'installed'>,
  layering: ImageLayering | undefined,
): AsyncIterable<Buffer>[] {
  if (!layeringRequested(layering)) return [rootfs.tar];
  const problem = layeringProblem(layering);
  if (problem !== undefined)
    throw new LarderError('CONFIG_INVALID', `layering.${problem.field}: ${problem.message}`);
  const groups = groupPackages(
    rootfs.installed.map((p) => p.record),
    layering.budget ?? 1,
  );
  return splitLayers(rootfs.tree, groups, rootfs.installed).map((entries) => layerTar(rootfs.tree, entries));
}
