/** The workspace: larder.yaml, the recipes, images and advisories it holds, and `larder init`. */
export { type ParsedFactoryConfig, parseFactoryConfig, workspaceLocation } from './config.js';
export { formatDuration, parseDuration } from './duration.js';
export { INIT_KEYS, type InitializedWorkspace, initWorkspace } from './init.js';
export {
  invalidFactoryConfig,
  type LoadedFactoryConfig,
  loadFactoryConfig,
  WORKSPACE_CONFIG,
} from './load-config.js';
export { type LoadWorkspaceOptions, loadWorkspace } from './load-workspace.js';
export { WORKSPACE_TEMPLATE } from './template.js';
export { fileHash, recipeHash } from './tree-hash.js';
