/**
 * Building APK packages from melange-compatible recipes (docs/architecture.md): recipes,
 * compile, sandboxes, automatic dependencies and package emission.
 */

/** Automatic dependencies of a staged package tree (melange `pkg/sca`). */
export {
  analyzePackage,
  type PkgConfigRequires,
  parsePkgConfig,
  type ScaInput,
  type ScaOptions,
  type ScaPackageDir,
  type ScaResult,
  shebangInterpreter,
  sonameLibver,
} from './sca/index.js';
