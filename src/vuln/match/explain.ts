// `scan --explain ID`: every finding and suppression whose id or aliases contain ID, with what
// made it match.
import type { Finding, SuppressedFinding } from '../model.js';
import type { MatchResult } from './types.js';
import { idKey } from './vuln-groups.js';

/** Why one package matched (or was suppressed for) a vulnerability. */
export interface ExplainEntry {
  readonly outcome: 'finding' | 'suppressed';
  readonly finding: Finding;
  /** With `suppressed`: the statement that removed it. */
  readonly reason?: SuppressedFinding['reason'];
  /** Package name and installed version. */
  readonly package: string;
  readonly installed: string;
  /** The name looked up: the APK origin, or the package name. */
  readonly searchedBy: string;
  readonly constraint: string;
  /** Where the matching record came from (file, URL or `osv:ID`). */
  readonly record: string;
}

/** Findings first, then suppressions, each in the result's order. */
export function explain(result: Pick<MatchResult, 'findings' | 'suppressed'>, id: string): ExplainEntry[] {
  const key = idKey(id);
  const names = (f: Finding): boolean =>
    idKey(f.vulnerability) === key || f.aliases.some((a) => idKey(a) === key);
  const entry = (finding: Finding, reason?: SuppressedFinding['reason']): ExplainEntry => ({
    outcome: reason === undefined ? 'finding' : 'suppressed',
    finding,
    ...(reason === undefined ? {} : { reason }),
    package: finding.package.name,
    installed: finding.package.version,
    searchedBy: finding.match.searchedBy,
    constraint: finding.match.constraint,
    record: finding.match.record.source,
  });
  return [
    ...result.findings.filter(names).map((f) => entry(f)),
    ...result.suppressed.filter((s) => names(s.finding)).map((s) => entry(s.finding, s.reason)),
  ];
}
