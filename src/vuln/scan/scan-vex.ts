// The VEX documents `scan --format openvex|cyclonedx` writes: what the findings, suppressions
// and the distribution's records say about each catalogued package.
import { apkSearchName, groupByIds, inDecisionOrder, namespaceApplies } from '../match/index.js';
import type { CatalogedPackage, Distro, DistroRecord, VulnSource } from '../model.js';
import { type VexDraft, vexDraftsFromScan } from '../vex/index.js';
import type { ScanOutcome } from './scan-target.js';

/**
 * The statements of a scan. Besides findings and suppressions, every APK package gets the
 * deciding record (newest, per vulnerability group, of the records that apply to the
 * distribution) of each vulnerability its origin has records for: fixed ones say `fixed` (or
 * `affected` below the fix), false positives `not_affected`, and so on (vulns.md §4.3).
 */
export function scanVexDrafts(outcome: ScanOutcome, source: VulnSource, distro?: Distro): VexDraft[] {
  const namespace = distro ?? outcome.catalog.distro;
  const byOrigin = new Map<string, DistroRecord[]>();
  const distroStatements: { package: CatalogedPackage; record: DistroRecord }[] = [];
  for (const pkg of outcome.catalog.packages) {
    if (pkg.ecosystem !== 'apk') continue;
    const origin = apkSearchName(pkg);
    let deciding = byOrigin.get(origin);
    if (deciding === undefined) {
      const records = source
        .distroRecords(origin)
        .filter((r) => namespace === undefined || namespaceApplies(r.distro, namespace));
      deciding = groupByIds(records).map((group) => inDecisionOrder(group)[0]!);
      byOrigin.set(origin, deciding);
    }
    for (const record of deciding) distroStatements.push({ package: pkg, record });
  }
  return vexDraftsFromScan({
    catalog: outcome.catalog,
    findings: outcome.findings,
    suppressed: outcome.suppressed,
    distroStatements,
  });
}
