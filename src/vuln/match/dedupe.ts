// One finding per (package, vulnerability group) (trap T22: one CVE via secdb, GHSA and
// govulndb). When several records match, the most informative decides: a known fix first (the
// lowest fix version, the nearest upgrade), then wont-fix, not-fixed, unknown; its aliases gain
// every other id of the group, and the highest severity of the group is kept.
import { type Finding, type FixState, SEVERITIES, type SuppressedFinding } from '../model.js';
import { ecosystemOrder, tryParse } from '../versions/index.js';
import { groupByIds, idKey } from './vuln-groups.js';

const FIX_RANK: Readonly<Record<FixState, number>> = { fixed: 0, 'wont-fix': 1, 'not-fixed': 2, unknown: 3 };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` tells more than `b` about the same package and vulnerability. */
function informative(a: Finding, b: Finding): number {
  const rank = FIX_RANK[a.fix.state] - FIX_RANK[b.fix.state];
  if (rank !== 0) return rank;
  const fa = a.fix.versions[0];
  const fb = b.fix.versions[0];
  if (fa !== undefined && fb !== undefined && fa !== fb) {
    const order = ecosystemOrder(a.package.ecosystem);
    const ka = tryParse(order, fa);
    const kb = tryParse(order, fb);
    const c = ka !== undefined && kb !== undefined ? order.compare(ka, kb) : 0;
    if (c !== 0) return c;
  }
  const severity = SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity);
  return (
    severity ||
    compareText(a.vulnerability, b.vulnerability) ||
    compareText(a.match.record.source, b.match.record.source)
  );
}

/** Folds a group of findings of one package into its most informative one. */
function merge(group: readonly Finding[]): Finding {
  const sorted = [...group].sort(informative);
  const best = sorted[0]!;
  if (sorted.length === 1) return best;
  const seen = new Set([idKey(best.vulnerability)]);
  const aliases: string[] = [];
  let severity = best.severity;
  const cvss = [...best.cvss];
  const vectors = new Set(cvss.map((c) => `${c.version}|${c.vector}`));
  for (const f of sorted) {
    for (const id of [f.vulnerability, ...f.aliases]) {
      if (!seen.has(idKey(id))) {
        seen.add(idKey(id));
        aliases.push(id);
      }
    }
    if (SEVERITIES.indexOf(f.severity) > SEVERITIES.indexOf(severity)) severity = f.severity;
    for (const c of f.cvss) {
      if (!vectors.has(`${c.version}|${c.vector}`)) {
        vectors.add(`${c.version}|${c.vector}`);
        cvss.push(c);
      }
    }
  }
  return { ...best, aliases, severity, cvss };
}

/** One finding per (package id, vulnerability group), input order otherwise kept. */
export function dedupeFindings(findings: readonly Finding[]): Finding[] {
  const byPackage = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byPackage.get(f.package.id);
    if (list === undefined) byPackage.set(f.package.id, [f]);
    else list.push(f);
  }
  const out: Finding[] = [];
  for (const list of byPackage.values()) {
    for (const group of groupByIds(list)) out.push(merge(group));
  }
  return out;
}

/** Report order: severity (highest first), package name, vulnerability id, then version and id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
    compareText(a.package.name, b.package.name) ||
    compareText(a.vulnerability, b.vulnerability) ||
    compareText(a.package.version, b.package.version) ||
    compareText(a.package.id, b.package.id)
  );
}

/** Suppressions in report order, then by reason. */
export function compareSuppressed(a: SuppressedFinding, b: SuppressedFinding): number {
  return compareFindings(a.finding, b.finding) || compareText(a.reason.kind, b.reason.kind);
}
