/**
 * Cataloguing (issue 6 §3): what an artifact holds, as syft finds it on an image. Targets are OCI
 * layouts, docker archives, registry images, root filesystem directories, installed databases,
 * `.apk` files and SPDX / CycloneDX SBOMs; packages are APKs (with origin and file ownership),
 * Go modules and the Go toolchain from build info, cargo-auditable crates, Python distributions,
 * npm packages and Java archives. Language packages found in a file an APK owns are linked to it.
 * Sub-folders export more (the ELF reader, the layer scanner); this index keeps to what callers
 * of the vuln module need.
 */

/** APK packages of an installed database, the distribution from os-release, apk purls. */
export {
  apkPackagePurl,
  type InstalledApks,
  type OsRelease,
  parseOsRelease,
  readInstalledApks,
} from './apk/index.js';
/** ELF headers, for readers of other sections. */
export { type ElfFile, type ElfSection, type ElfSegment, readElf } from './binary/index.js';
/** The one entry point: a path or reference in, a Catalog (model.ts) out. */
export {
  type CatalogOptions,
  catalogTarget,
  type DetectedTarget,
  detectTarget,
  type TargetKind,
} from './catalog-target.js';
/** Go binaries: build info (inline and pointer layouts), modinfo, the packages they hold. */
export {
  type GoBuildInfo,
  type GoModInfo,
  type GoModule,
  goModulePurl,
  goPackages,
  parseGoModInfo,
  readGoBuildInfo,
} from './go/index.js';
/** Java archives: main, shaded and nested packages. */
export { javaPackages, parseJavaManifest, parsePomProperties } from './java/index.js';
/** npm packages under node_modules. */
export { npmPackage } from './npm/index.js';
export type { PackageDraft } from './package-draft.js';
/** Python distributions (METADATA, PKG-INFO), PEP 503 names. */
export { normalizePythonName, parsePythonMetadata, pythonPackage } from './python/index.js';
/** cargo-auditable crates in Rust binaries. */
export {
  type CargoAuditPackage,
  cargoPackages,
  parseCargoAuditJson,
  readCargoAuditData,
} from './rust/index.js';
/** SBOM documents already parsed, read as catalogs. */
export {
  catalogSbomEntries,
  cycloneDxEntries,
  type SbomContents,
  type SbomEntry,
  spdxEntries,
} from './sbom/index.js';
export type { RegistryAccess } from './source/index.js';
