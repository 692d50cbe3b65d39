/** larder's library: `import { readApkPackage, compareVersions } from 'larder'`. */
export * from './apk/index.js';
export * from './archive/index.js';
export * from './attest/index.js';
export * from './build/index.js';
export * from './core/index.js';
export * from './dockerfile/index.js';
export * from './image/index.js';
// image and vuln each read os-release for their own needs; the library name is image's.
export { type OsRelease, parseOsRelease } from './image/index.js';
export * from './oci/index.js';
export * from './repo/index.js';
export * from './sbom/index.js';
export * from './solver/index.js';
export * from './store/index.js';
export * from './vuln/index.js';
