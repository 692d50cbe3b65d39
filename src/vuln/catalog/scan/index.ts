/**
 * Filesystems as cataloguing sees them: which files to read, layers applied with whiteouts into
 * a metadata-only virtual filesystem, evidence per file, and the catalog of the result.
 */
export { analyzeFile, type FileEvidence } from './analyze-file.js';
export {
  type FileRole,
  fileRole,
  INSTALLED_DB_PATHS,
  isExecutableMagic,
  OS_RELEASE_PATHS,
} from './file-role.js';
export { LayerCollector, type LayerScan } from './layer-collector.js';
export { catalogRootfs, mergeLayers, type RootfsCatalogInput } from './rootfs.js';
export {
  type LayerCompression,
  scanTarStream,
  type TarStreamOptions,
  type TarStreamResult,
} from './tar-stream.js';
export { normalizePath, type VfsNode, type VfsOp, type VfsType, VirtualFs } from './vfs.js';
