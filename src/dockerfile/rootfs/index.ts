/**
 * The filesystem engine of Dockerfile builds: a stage's rootfs is a real directory; OCI layers
 * are applied onto it (whiteouts, opaque directories, links, owners), each RUN runs in
 * bubblewrap over it, and each mutation becomes one deterministic layer by diffing snapshots.
 */

/** Extracts OCI layers bottom-first into a directory. */
export { applyLayers } from './apply-layers.js';
export type { ApplyLayersOptions } from './apply-tar.js';
/** The pure comparison of two snapshots and the layer records it plans. */
export { computeChanges, entryChanged, type LayerItem, type TreeChanges } from './changes.js';
/** A snapshot compared with the tree now, written as one gzip layer blob. */
export { type DiffLayer, type DiffToLayerOptions, diffToLayer } from './diff-layer.js';
/** Compression detection and decompression of a layer blob. */
export { type LayerCompression, type LayerSource, layerCompression, openLayerTar } from './layer-stream.js';
/** The layer tar of planned records (deterministic bytes, whiteout names). */
export { type LayerTarOptions, layerTar, opaqueName, whiteoutName } from './layer-tar.js';
/** Runs one command in bubblewrap over a rootfs. */
export { type RunInRootfsOptions, runInRootfs } from './run.js';
export { DOCKER_DEFAULT_CAPS, type SandboxBind, type SandboxPlan, sandboxArgs } from './sandbox-args.js';
/** Symlink resolution inside a rootfs, as the sandbox's kernel would do it. */
export { hostPath, resolveInRoot, type ScopedPath } from './scoped-path.js';
/** One lstat per path: the state a diff starts from. */
export { snapshotTree, type TreeEntry, type TreeEntryType, type TreeSnapshot } from './snapshot.js';
export { type RunLine, readStatus } from './spawn-sandbox.js';
/** Docker's USER resolved against the image's passwd and group files. */
export { type ResolvedUser, resolveUser } from './user.js';
