/**
 * Matching catalogued packages against vulnerability data: APK packages by origin against
 * distro records (apk order, newest statement per vulnerability group), language packages
 * against OSV ranges in their ecosystem's order, distro statements carried to owned language
 * packages, VEX, and `explain` for `scan --explain`.
 */
export { apkSearchName, type OwnerStatement } from './apk-match.js';
export { compareFindings, dedupeFindings } from './dedupe.js';
export { type DistroVerdict, distroVerdict, inDecisionOrder } from './distro-decision.js';
export { namespaceApplies, namespacePools } from './distro-namespace.js';
export { type ExplainEntry, explain } from './explain.js';
export { unmatchableReason } from './language-match.js';
export { matchCatalog } from './match-catalog.js';
export { type PackageUrl, packageUrlCovers, parsePackageUrl, purlTextCovers } from './purl-match.js';
export type { MatchOptions, MatchResult } from './types.js';
export { applyVex, vexDetail } from './vex-apply.js';
export { type ImageIdentity, imageIdentity, productIsImage, statementReaches } from './vex-products.js';
export { groupByIds, idKey } from './vuln-groups.js';
export { VulnInfo } from './vuln-info.js';
