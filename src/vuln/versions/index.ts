/**
 * Version orders of the ecosystems larder matches (apk, Go, PEP 440, Maven, semver for npm,
 * fuzzy for crates.io) and OSV range evaluation over them.
 */
export { apkOrder } from './apk-order.js';
export { ecosystemOrder, rangeOrders } from './ecosystem-orders.js';
export { type FuzzyVersion, fuzzyCompare, fuzzyOrder } from './fuzzy.js';
export { goOrder, goToolchainToSemver, isGoPseudoVersion, parseGoVersion } from './go-version.js';
export { compareMavenVersions, type MavenVersion, mavenOrder, parseMavenVersion } from './maven.js';
export {
  type CompiledRange,
  compileRange,
  findInterval,
  formatInterval,
  formatRange,
  type OsvInterval,
} from './osv-range.js';
export { comparePep440, type Pep440Version, parsePep440, pep440Order } from './pep440.js';
export { evaluateRangeRecord, type RangeVerdict } from './range-record.js';
export { compareSemver, parseSemver, type SemVer, semverOrder } from './semver.js';
export {
  type AnyVersionOrder,
  compareIn,
  tryParse,
  type VersionOrder,
  type VersionOrderName,
  versionProblemIn,
} from './version-order.js';
