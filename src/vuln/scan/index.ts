/**
 * `larder scan` as a library: the data sources of a scan as one VulnSource, the scan itself
 * (catalogue → match with VEX → ignore rules → --only-fixed), and its VEX statements.
 */
export {
  combineVulnSources,
  type DataSourceInput,
  type OpenedDataSources,
  openDataSources,
} from './data-sources.js';
export { findingsMeta, type ScanOptions, type ScanOutcome, scanCatalog, scanTarget } from './scan-target.js';
export { scanVexDrafts } from './scan-vex.js';
