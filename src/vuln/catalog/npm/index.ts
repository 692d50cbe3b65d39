/** npm packages installed under node_modules. */
export { isNodeModulesManifest, npmPackage } from './package-json.js';
