/**
 * Image root filesystem assembly (formats.md §4.3-4.8): packages, apk database, accounts and
 * paths into one deterministic layer tar.
 */
export {
  type AssembledRootfs,
  type AssembleOptions,
  type AssemblePackage,
  assembleRootfs,
} from './assemble.js';
export { type OwnerInfo, type ReplaceVerdict, replacesFile } from './conflicts.js';
export { type ElfDynamicInfo, readElfDynamic } from './ldso-cache/elf-dynamic.js';
export { type OsRelease, parseOsRelease } from './os-release.js';
export { imageWorld, isServiceBundle, S6_COMMAND } from './s6.js';
