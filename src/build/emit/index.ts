/** Package emission: a staged tree → `.PKGINFO`, scriptlets, SBOM, signed `.apk` (melange `pkg/build/package.go`). */
export { controlMeta, controlScripts } from './control.js';
export { type MergedDependencies, mergeDependencies, removeSelfProvided } from './dependencies.js';
export { type BuildPackage, type EmitBuildInput, emitBuild } from './emit-build.js';
export { apkFileName, type EmittedPackage, emitPackage } from './emit-package.js';
export {
  fnv128a,
  licenseExpression,
  normalizeLicense,
  packageSbomJson,
  SBOM_DIR,
  sbomFileNameOf,
  spdxIdentifier,
} from './sbom.js';
export type {
  EmitCopyright,
  EmitDependencies,
  EmitPackageInput,
  EmitScriptlets,
  EmitSource,
} from './types.js';
export { type SourceStepInput, upstreamSource } from './upstream-source.js';
