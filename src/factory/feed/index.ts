/** The factory's vulnerability data: the workspace's advisories and feeds in the store, and its secdb. */
export {
  feedVersionOf,
  type RefreshVulnDataOptions,
  refreshVulnData,
  type VulnData,
} from './refresh-vuln-data.js';
export { type SecdbOfOptions, secdbOf } from './secdb-of.js';
export { type VulnDataSource, workspaceSources } from './sources.js';
