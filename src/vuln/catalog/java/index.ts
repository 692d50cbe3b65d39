/** Java archives: pom.properties, MANIFEST.MF, shaded and nested archives. */
export { fileNameParts, JAVA_ARCHIVE, type JavaArchiveOptions, javaPackages } from './archive.js';
export { type JavaManifest, manifestField, parseJavaManifest, parsePomProperties } from './manifest.js';
