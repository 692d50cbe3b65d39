/**
 * Reports of a scan (table, `larder-scan/v1` JSON, SARIF 2.1.0), the filters users ask for
 * (ignore rules, --only-fixed), policies (--fail-on, zero-known-cve) and --explain rendering.
 */

/** `--explain ID` rendered for people. */
export { type ExplainItem, renderExplanation } from './explain.js';
/** Ignore rules and --only-fixed. */
export { applyIgnoreRules, applyOnlyFixed, type FilterResult, ruleMatches } from './filters.js';
/** Globs for ignore rules' locations. */
export { compileGlob } from './glob.js';
/** Ignore-rules files. */
export { type IgnoreRule, parseIgnoreRules } from './ignore-rules.js';
/** The JSON report (docs/scan-json.md). */
export {
  SCAN_JSON_SCHEMA,
  type ScanJson,
  type ScanJsonFinding,
  type ScanJsonSuppressed,
  toScanJson,
} from './json.js';
/** --fail-on and --policy. */
export {
  evaluatePolicy,
  POLICY_NAMES,
  type PolicyName,
  type PolicyOptions,
  type PolicyVerdict,
  type PolicyViolation,
  parsePolicyName,
  renderPolicyVerdict,
} from './policy.js';
/** SARIF 2.1.0. */
export { type SarifLog, type SarifResult, type SarifRule, toSarif } from './sarif.js';
export type { ScanReport } from './scan-report.js';
/** Severity order and names. */
export {
  compareForReport,
  countBySeverity,
  FAIL_ON_SEVERITIES,
  PACKAGE_TYPE,
  parseFailOn,
  severityRank,
} from './severity.js';
/** The table report. */
export { displayId, fixedIn, renderTable, summaryLine } from './table.js';
