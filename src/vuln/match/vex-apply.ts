// VEX statements over findings. A statement applies when its vulnerability or aliases (and the
// database's aliases of its vulnerability) meet the finding's id and aliases (T10), and its
// products reach the package (vex-products.ts). Of the applicable statements the NEWEST decides
// (by timestamp; none counts as oldest; equal ones: the later in input order), unlike grype,
// which takes the oldest (T11). not_affected and fixed suppress; affected and
// under_investigation keep the finding.
import type { CatalogedPackage, Finding, SuppressedFinding, VexStatement } from '../model.js';
import { type ImageIdentity, statementReaches } from './vex-products.js';
import { idKey, idKeys, sharesId } from './vuln-groups.js';
import type { VulnInfo } from './vuln-info.js';

/** What the statements did to the findings. */
export interface VexOutcome {
  readonly kept: Finding[];
  readonly suppressed: SuppressedFinding[];
}

function timeOf(statement: VexStatement): number {
  const t = statement.timestamp === undefined ? Number.NaN : Date.parse(statement.timestamp);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** One line about the deciding statement. */
export function vexDetail(statement: VexStatement): string {
  const why = statement.justification === undefined ? '' : ` (${statement.justification})`;
  const impact = statement.impactStatement === undefined ? '' : `: ${statement.impactStatement}`;
  return `VEX ${statement.status}${why} for ${statement.vulnerability}${impact}`;
}

/** Applies `statements` to `findings`; `owners` maps a package id to its APK owner. */
export function applyVex(
  findings: readonly Finding[],
  statements: readonly VexStatement[],
  context: {
    readonly image: ImageIdentity;
    readonly owners: ReadonlyMap<string, CatalogedPackage>;
    readonly info: VulnInfo;
  },
): VexOutcome {
  if (statements.length === 0) return { kept: [...findings], suppressed: [] };
  // Ids of each statement, widened by what the database knows of its vulnerability.
  const ids = statements.map((s) => {
    const keys = new Set(idKeys(s));
    const meta = context.info.meta(s.vulnerability);
    if (meta !== undefined) for (const id of [meta.id, ...meta.aliases]) keys.add(idKey(id));
    return keys;
  });
  const order = statements.map((s, i) => ({ s, i, t: timeOf(s) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const findingIds = [finding.vulnerability, ...finding.aliases];
    const owner =
      finding.package.ownedBy === undefined ? undefined : context.owners.get(finding.package.ownedBy);
    let decider: VexStatement | undefined;
    for (const { s, i } of order) {
      if (sharesId(findingIds, ids[i]!) && statementReaches(s, finding.package, owner, context.image))
        decider = s;
    }
    if (decider !== undefined && (decider.status === 'not_affected' || decider.status === 'fixed')) {
      suppressed.push({
        finding,
        reason: { kind: 'vex', detail: vexDetail(decider), source: decider.source },
      });
    } else {
      kept.push(finding);
    }
  }
  return { kept, suppressed };
}
