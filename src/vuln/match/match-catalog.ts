// Matching a catalog against a vulnerability source: APK packages by origin against distro
// records, language packages against OSV ranges, distro statements carried over to the language
// packages an APK owns, one finding per (package, vulnerability group), then VEX.
import type { Catalog, CatalogedPackage, Finding, SuppressedFinding, VulnSource } from '../model.js';
import {
  apkSearchName,
  matchApkPackage,
  type OriginGroup,
  type OwnerStatement,
  originGroups,
} from './apk-match.js';
import { compareFindings, compareSuppressed, dedupeFindings } from './dedupe.js';
import { matchLanguagePackage } from './language-match.js';
import type { MatchOptions, MatchResult } from './types.js';
import { applyVex } from './vex-apply.js';
import { imageIdentity } from './vex-products.js';
import { sharesId } from './vuln-groups.js';
import { VulnInfo } from './vuln-info.js';

/** The owner statement of `finding`'s APK that covers its ids, if any. */
function ownerStatement(
  finding: Finding,
  owners: ReadonlyMap<string, OwnerStatement[]>,
): OwnerStatement | undefined {
  const ownedBy = finding.package.ownedBy;
  if (ownedBy === undefined) return undefined;
  const ids = [finding.vulnerability, ...finding.aliases];
  return owners.get(ownedBy)?.find((statement) => sharesId(ids, statement.ids));
}

/**
 * Matches every package of `catalog` against `source` (see the module comments of apk-match,
 * language-match, dedupe and vex-apply for the rules) and returns sorted findings, what
 * statements suppressed, and warnings about data that could not be evaluated.
 */
export function matchCatalog(catalog: Catalog, source: VulnSource, options: MatchOptions = {}): MatchResult {
  const distro = options.distro ?? catalog.distro;
  const info = new VulnInfo(source);
  const warnings: string[] = [];
  const candidates: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const ownerStatements = new Map<string, OwnerStatement[]>();
  const groupsByOrigin = new Map<string, OriginGroup[]>();

  for (const pkg of catalog.packages) {
    if (pkg.ecosystem !== 'apk') continue;
    const origin = apkSearchName(pkg);
    let groups = groupsByOrigin.get(origin);
    if (groups === undefined) {
      groups = originGroups(source, origin, distro);
      groupsByOrigin.set(origin, groups);
    }
    const matched = matchApkPackage(pkg, groups, info);
    candidates.push(...matched.findings);
    suppressed.push(...matched.suppressed);
    warnings.push(...matched.warnings);
    if (matched.owner.length > 0) ownerStatements.set(pkg.id, matched.owner);
  }

  for (const pkg of catalog.packages) {
    if (pkg.ecosystem === 'apk') continue;
    const matched = matchLanguagePackage(pkg, source, info);
    warnings.push(...matched.warnings);
    candidates.push(...matched.findings);
  }

  const findings: Finding[] = [];
  for (const finding of dedupeFindings(candidates)) {
    const statement = ownerStatement(finding, ownerStatements);
    if (statement === undefined) findings.push(finding);
    else
      suppressed.push({
        finding,
        reason: { kind: statement.kind, detail: statement.detail, source: statement.source },
      });
  }

  const owners = new Map<string, CatalogedPackage>();
  for (const pkg of catalog.packages) if (pkg.ecosystem === 'apk') owners.set(pkg.id, pkg);
  const vex = applyVex(findings, options.vex ?? [], { image: imageIdentity(catalog), owners, info });
  suppressed.push(...vex.suppressed);

  return {
    findings: vex.kept.sort(compareFindings),
    suppressed: suppressed.sort(compareSuppressed),
    warnings: [...new Set(warnings)],
  };
}
