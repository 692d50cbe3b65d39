/** larder's library: `import { readApkPackage, compareVersions } from 'larder'`. */
export * from './apk/index.js';
export * from './archive/index.js';
export * from './core/index.js';
export * from './image/index.js';
export * from './oci/index.js';
export * from './repo/index.js';
export * from './sbom/index.js';
export * from './solver/index.js';
