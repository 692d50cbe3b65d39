/** Installed Python distributions: METADATA / PKG-INFO headers and PEP 503 names. */
export { normalizePythonName, parsePythonMetadata, pythonPackage } from './metadata.js';
