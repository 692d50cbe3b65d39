/** The kinds of target: image layouts, docker archives, registries, directories, files. */
export { catalogApkFile } from './apk-file.js';
export { scanDirectory } from './directory.js';
export { catalogDockerArchive } from './docker-archive.js';
export { catalogInstalledDbFile } from './installed-db-file.js';
export { catalogOciLayout, type ImageCatalogOptions } from './oci-layout.js';
export { hostPlatform, pickPlatform } from './platform.js';
export { catalogRegistryImage, type RegistryAccess } from './registry.js';
