// Suppressions the user asks for: ignore rules and --only-fixed. Both move findings into the
// suppressed list with the reason, so reports count them and --explain shows them.
import type { Finding, SuppressedFinding } from '../model.js';
import { compileGlob } from './glob.js';
import type { IgnoreRule } from './ignore-rules.js';
import { PACKAGE_TYPE } from './severity.js';

export interface FilterResult {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

/** True when every field the rule sets matches the finding. Ids compare without case. */
export function ruleMatches(rule: IgnoreRule, finding: Finding): boolean {
  if (rule.vulnerability !== undefined) {
    const id = rule.vulnerability.toUpperCase();
    const ids = rule.includeAliases ? [finding.vulnerability, ...finding.aliases] : [finding.vulnerability];
    if (!ids.some((x) => x.toUpperCase() === id)) return false;
  }
  if (rule.fixState !== undefined && rule.fixState !== finding.fix.state) return false;
  const p = rule.package;
  if (p === undefined) return true;
  const pkg = finding.package;
  if (p.name !== undefined && p.name !== pkg.name) return false;
  if (p.version !== undefined && p.version !== pkg.version) return false;
  if (p.type !== undefined && p.type !== pkg.ecosystem && p.type !== PACKAGE_TYPE[pkg.ecosystem])
    return false;
  if (p.upstreamName !== undefined && p.upstreamName !== (pkg.origin ?? pkg.name)) return false;
  if (p.location !== undefined) {
    const glob = compileGlob(p.location);
    if (typeof glob !== 'function' || !pkg.locations.some(glob)) return false;
  }
  return true;
}

/**
 * Applies ignore rules: the first matching rule suppresses a finding (kind `ignore-rule`, its
 * reason as detail, `file:line:col` as source). `unused` lists rules that matched nothing.
 */
export function applyIgnoreRules(
  findings: readonly Finding[],
  rules: readonly IgnoreRule[],
): FilterResult & { unused: IgnoreRule[] } {
  const used = new Set<IgnoreRule>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const rule = rules.find((r) => ruleMatches(r, finding));
    if (rule === undefined) {
      kept.push(finding);
      continue;
    }
    used.add(rule);
    suppressed.push({
      finding,
      reason: { kind: 'ignore-rule', detail: `ignore rule: ${rule.reason}`, source: rule.source },
    });
  }
  return { findings: kept, suppressed, unused: rules.filter((r) => !used.has(r)) };
}

/** `--only-fixed`: findings without a known fix are suppressed (kind `only-fixed`). */
export function applyOnlyFixed(findings: readonly Finding[]): FilterResult {
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    if (finding.fix.state === 'fixed') kept.push(finding);
    else
      suppressed.push({
        finding,
        reason: {
          kind: 'only-fixed',
          detail: `no fix available (fix state ${finding.fix.state})`,
          source: '--only-fixed',
        },
      });
  }
  return { findings: kept, suppressed };
}
