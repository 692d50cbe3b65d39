/** Installing packages into a directory, as `apk add --root DIR --initdb` does. */
export { type ExtractOptions, extractLayer } from './extract.js';
export { type InstallRootOptions, installRoot } from './install-root.js';
