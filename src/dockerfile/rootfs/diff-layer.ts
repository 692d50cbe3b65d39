import type { ProgressListener } from '../../core/index.js';
import { type LayerBlob, writeLayerBlob } from '../../oci/index.js';
import { computeChanges } from './changes.js';
import { layerTar } from './layer-tar.js';
import { snapshotTree, type TreeSnapshot } from './snapshot.js';

export interface DiffToLayerOptions {
  /** Blobs directory of the layout being built; the layer goes to `sha256/<hex>` inside. */
  readonly blobsDir: string;
  /** Seconds: mtimes newer than this are clamped to it (BuildKit's rewrite-timestamp). */
  readonly sourceDateEpoch?: number;
  /** Paths (relative, `/`-separated) left out of the comparison, with everything below them. */
  readonly exclude?: (path: string) => boolean;
  /**
   * Write a layer even when nothing changed (an empty tar: 1024 zero bytes). By default an
   * unchanged tree gives no layer, as BuildKit does: the step's history entry is then
   * `empty_layer: true`.
   */
  readonly emptyLayer?: boolean;
  readonly onProgress?: ProgressListener;
}

/** The layer of one mutation and what it holds. */
export interface DiffLayer {
  readonly layer: LayerBlob;
  readonly added: readonly string[];
  readonly modified: readonly string[];
  /** Every path that is gone; the layer has one whiteout per deleted tree. */
  readonly deleted: readonly string[];
  /** The tree as the layer left it: the `before` of the next step. */
  readonly after: TreeSnapshot;
}

/**
 * Snapshots `root` again and writes what changed since `before` as one gzip layer blob (see
 * computeChanges for the records and their order, layerTar for the bytes). Deterministic: the
 * same trees give the same digest. Undefined when nothing changed, unless `emptyLayer`.
 */
export async function diffToLayer(
  before: TreeSnapshot,
  root: string,
  options: DiffToLayerOptions,
): Promise<DiffLayer | undefined> {
  const after = await snapshotTree(root);
  const changes = computeChanges(before, after, options.exclude);
  if (changes.items.length === 0 && options.emptyLayer !== true) return undefined;
  const tar = layerTar(root, changes.items, {
    ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
  });
  const layer = await writeLayerBlob(tar, {
    blobsDir: options.blobsDir,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  return { layer, added: changes.added, modified: changes.modified, deleted: changes.deleted, after };
}
