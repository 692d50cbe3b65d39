// Policies over the findings left after VEX, ignore rules and --only-fixed: `--fail-on SEV` and
// `--policy zero-known-cve`. A violated policy is exit status 1; the report is written anyway.
import type { Finding, Severity } from '../model.js';
import { compareForReport, severityRank } from './severity.js';
import { displayId, fixedIn } from './table.js';

/** The named policies `--policy` takes. */
export const POLICY_NAMES = ['zero-known-cve'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface PolicyOptions {
  /** Fail when a finding is at or above this severity (unknown severity never counts, as in grype). */
  readonly failOn?: Severity;
  readonly policies?: readonly PolicyName[];
}

/** One broken rule and the findings that broke it. */
export interface PolicyViolation {
  readonly rule: string;
  readonly findings: readonly Finding[];
}

export interface PolicyVerdict {
  readonly violated: boolean;
  readonly violations: readonly PolicyViolation[];
  /** With `failOn`: findings of unknown severity, which it cannot judge. */
  readonly unjudged: number;
}

export function parsePolicyName(value: string): PolicyName | undefined {
  return (POLICY_NAMES as readonly string[]).includes(value) ? (value as PolicyName) : undefined;
}

/**
 * Judges the findings. `zero-known-cve` fails on any finding at all, whatever its severity and
 * whether a fix exists; `failOn` on any finding of that severity or higher.
 */
export function evaluatePolicy(findings: readonly Finding[], options: PolicyOptions): PolicyVerdict {
  const violations: PolicyViolation[] = [];
  const sorted = [...findings].sort(compareForReport);
  if (options.policies?.includes('zero-known-cve') && sorted.length > 0)
    violations.push({ rule: 'policy zero-known-cve', findings: sorted });
  let unjudged = 0;
  if (options.failOn !== undefined) {
    const floor = severityRank(options.failOn);
    const over = sorted.filter((f) => f.severity !== 'unknown' && severityRank(f.severity) >= floor);
    unjudged = sorted.filter((f) => f.severity === 'unknown').length;
    if (over.length > 0) violations.push({ rule: `--fail-on ${options.failOn}`, findings: over });
  }
  return { violated: violations.length > 0, violations, unjudged };
}

/**
 * The verdict for people: per broken rule a line, then one line per finding
 * (`  CVE-... high libcrypto3 3.0.7-r0 (fixed in 3.0.8-r0)`); empty when nothing was asked or
 * nothing broke, but for a note on findings `--fail-on` could not judge.
 */
export function renderPolicyVerdict(verdict: PolicyVerdict, options: PolicyOptions): string {
  let out = '';
  for (const v of verdict.violations) {
    out += `policy violated: ${v.rule}: ${v.findings.length} finding${v.findings.length === 1 ? '' : 's'}\n`;
    for (const f of v.findings) {
      const fix =
        f.fix.state === 'wont-fix'
          ? " (won't fix)"
          : fixedIn(f) === ''
            ? ' (no fix)'
            : ` (fixed in ${fixedIn(f)})`;
      const id = displayId(f) === f.vulnerability ? f.vulnerability : `${displayId(f)} (${f.vulnerability})`;
      out += `  ${id} ${f.severity} ${f.package.name} ${f.package.version}${fix}\n`;
    }
  }
  if (options.failOn !== undefined && verdict.unjudged > 0)
    out += `note: ${verdict.unjudged} finding${verdict.unjudged === 1 ? '' : 's'} of unknown severity not judged by --fail-on (--policy zero-known-cve counts them)\n`;
  return out;
}
