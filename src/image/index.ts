/**
 * apko-compatible images. So far: the image config (`apko.yaml`, with `include` and the append
 * options) and lock files (`apko.lock.json`), plus a cache of resolutions for `larder lock`.
 * Rootfs assembly, layering and image metadata come next.
 */

export {
  type AssembledRootfs,
  type AssembleOptions,
  type AssemblePackage,
  assembleRootfs,
  type ElfDynamicInfo,
  type OsRelease,
  type OwnerInfo,
  parseOsRelease,
  type ReplaceVerdict,
  readElfDynamic,
  replacesFile,
} from './assemble/index.js';
export {
  type BuildImagesOptions,
  type BuiltImage,
  buildImages,
  type PackageSource,
  sbomPackageOf,
} from './build/build-image.js';
export { type ResolveAndFetchOptions, resolveAndFetch, type WorldPackage } from './build/fetch-world.js';
export { containerConfigFor, imageAnnotations } from './build/oci-config.js';
export type { AppendOptions } from './config/append.js';
export {
  ALL_IMAGE_ARCHS,
  type ImageArch,
  ociArchName,
  parseArchFlag,
  parseImageArch,
} from './config/archs.js';
export { EMPTY_IMAGE_CONFIG } from './config/empty.js';
export { type ConfigIssue, formatIssue, formatPath, type PathSegment, sortIssues } from './config/issues.js';
export { IMAGE_CONFIG_SCHEMA_ID, imageConfigJsonSchema } from './config/json-schema.js';
export { type LoadedConfig, type LoadImageConfigOptions, loadImageConfig } from './config/load.js';
export { mergeImageConfig } from './config/merge.js';
export type {
  AdditionalCertificate,
  BaseImage,
  ImageAccounts,
  ImageCertificates,
  ImageConfig,
  ImageContents,
  ImageEntrypoint,
  ImageGroup,
  ImageLayering,
  ImageOsRelease,
  ImageUser,
  LayerFormat,
  PathMutation,
  RuntimeKey,
} from './config/model.js';
export { type ParsedImageConfig, parseImageConfig } from './config/parse.js';
export { worldEntryProblem } from './config/world-entry.js';
export {
  issueAt,
  keyNodeAt,
  nodeAt,
  parseYamlSource,
  placeOf,
  scalarSource,
  type YamlSource,
} from './config/yaml-source.js';
export { placeZodIssues } from './config/zod-issues.js';
export * from './evidence/index.js';
export {
  type InspectedImage,
  type InspectedLayer,
  type InspectedLayout,
  inspectLayout,
} from './inspect/index.js';
export { type ExtractOptions, extractLayer, type InstallRootOptions, installRoot } from './install/index.js';
export {
  createLock,
  type LockPackageInput,
  lockKeyringEntry,
  lockPackageEntry,
  lockRepositoryEntries,
  type NewLockInput,
  sortLockKeyring,
} from './lock/entries.js';
export { type FetchLockedOptions, fetchLockedPackages, type LockedPackage } from './lock/fetch-locked.js';
export { formatLockFile } from './lock/format.js';
export { checkLockFresh, type LockedWorld, lockedArchs, lockedWorld } from './lock/fresh.js';
export { readLockFile, writeLockFile } from './lock/io.js';
export { type MakeLockOptions, makeLock } from './lock/make-lock.js';
export type {
  ApkoLock,
  LockConfig,
  LockContents,
  LockKeyring,
  LockPackage,
  LockRangeChecksum,
  LockRepository,
} from './lock/model.js';
export { parseLockFile } from './lock/parse.js';
export {
  type FileResolutionCacheOptions,
  fileResolutionCache,
  memoryResolutionCache,
  type ResolutionCache,
  type ResolutionKeyInput,
  resolutionKey,
} from './lock/resolution-cache.js';
