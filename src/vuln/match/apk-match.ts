// APK packages against distro records (vulns.md §3.2, catalog.md §5.2): looked up by ORIGIN
// (falling back to the name), apk version order, one decision per (namespace, vulnerability
// group). No NVD/CPE fallback: the distro feed is the only word on distro packages (T1-T3).
import type {
  CatalogedPackage,
  Distro,
  DistroRecord,
  Finding,
  SuppressedFinding,
  VulnSource,
} from '../model.js';
import { distroVerdict, inDecisionOrder } from './distro-decision.js';
import { namespacePools } from './distro-namespace.js';
import { groupByIds, groupIds, idKey } from './vuln-groups.js';
import type { VulnInfo } from './vuln-info.js';

/** One group of an origin's records in one namespace, with the record that decides it. */
export interface OriginGroup {
  readonly namespace: string;
  /** In decision order; the first is `decider`. */
  readonly records: readonly DistroRecord[];
  readonly decider: DistroRecord;
  readonly ids: readonly string[];
}

/** A distro statement that also covers the language packages an APK owns (catalog.md §5.4). */
export interface OwnerStatement {
  readonly ids: ReadonlySet<string>;
  readonly kind: 'distro-fixed-owner' | 'distro-not-affected';
  readonly detail: string;
  readonly source: string;
}

/** What matching one APK package gives. */
export interface ApkMatch {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly owner: OwnerStatement[];
  readonly warnings: string[];
}

/** The name an APK package is looked up by: its origin, else its name. */
export function apkSearchName(pkg: CatalogedPackage): string {
  return pkg.origin !== undefined && pkg.origin !== '' ? pkg.origin : pkg.name;
}

/** Groups an origin's records per namespace and picks each group's deciding record. */
export function originGroups(source: VulnSource, origin: string, distro: Distro | undefined): OriginGroup[] {
  const records = source.distroRecords(origin).filter((r) => r.package === origin);
  const out: OriginGroup[] = [];
  for (const [namespace, pool] of namespacePools(records, distro)) {
    for (const group of groupByIds(pool)) {
      const records = inDecisionOrder(group);
      out.push({ namespace, records, decider: records[0]!, ids: groupIds(records) });
    }
  }
  return out;
}

function finding(
  pkg: CatalogedPackage,
  record: DistroRecord,
  ids: readonly string[],
  verdict: { fix: Finding['fix']; constraint: string },
  info: VulnInfo,
): Finding {
  const own = [record.vulnerability, ...ids.filter((id) => idKey(id) !== idKey(record.vulnerability))];
  const described = info.describe(own);
  const searchedBy = apkSearchName(pkg);
  return {
    package: pkg,
    vulnerability: record.vulnerability,
    aliases: [...own.slice(1), ...described.aliases],
    severity: described.severity,
    cvss: described.cvss,
    fix: verdict.fix,
    match: {
      kind: searchedBy === pkg.name ? 'apk-name' : 'apk-origin',
      searchedBy,
      constraint: verdict.constraint,
      record,
    },
  };
}

/** Matches one APK package against its origin's groups. */
export function matchApkPackage(
  pkg: CatalogedPackage,
  groups: readonly OriginGroup[],
  info: VulnInfo,
): ApkMatch {
  const result: ApkMatch = { findings: [], suppressed: [], owner: [], warnings: [] };
  for (const group of groups) {
    const verdict = distroVerdict(group.decider, pkg.version);
    switch (verdict.kind) {
      case 'invalid':
        result.warnings.push(verdict.warning);
        break;
      case 'vulnerable':
        result.findings.push(finding(pkg, group.decider, group.ids, verdict, info));
        break;
      case 'fixed':
      case 'not-affected': {
        const kind = verdict.kind === 'fixed' ? 'distro-fixed-owner' : 'distro-not-affected';
        const statement = {
          ids: new Set(group.ids.map(idKey)),
          kind,
          detail: verdict.detail,
          source: group.decider.source,
        } as const;
        result.owner.push(statement);
        if (verdict.kind === 'not-affected') {
          // An older record of the group that would have matched is reported as suppressed, so
          // `--explain` can show the distro's NAK winning over it.
          const shadowed = shadowedFinding(pkg, group, info);
          if (shadowed !== undefined) {
            result.suppressed.push({
              finding: shadowed,
              reason: { kind, detail: verdict.detail, source: statement.source },
            });
          }
        }
        break;
      }
    }
  }
  return result;
}

/** The first other record of the group (in decision order) that would make a finding. */
function shadowedFinding(pkg: CatalogedPackage, group: OriginGroup, info: VulnInfo): Finding | undefined {
  for (const record of group.records) {
    if (record === group.decider) continue;
    const verdict = distroVerdict(record, pkg.version);
    if (verdict.kind === 'vulnerable') return finding(pkg, record, group.ids, verdict, info);
  }
  return undefined;
}
