/** Automatic dependencies of a staged package tree, as melange's `pkg/sca` finds them. */
export { analyzePackage, sortUnique } from './analyze.js';
export { BIN_DIRS, shebangInterpreter } from './commands.js';
export { readElfRegions } from './elf-file.js';
export { type PkgConfigRequires, parsePkgConfig } from './pkg-config.js';
export { LIB_DIRS, sonameLibver } from './shared-objects.js';
export type { ScaInput, ScaOptions, ScaPackageDir, ScaResult } from './types.js';
