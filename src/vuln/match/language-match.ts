// Language packages against OSV range records (catalog.md §5.3): one query per package by
// ecosystem and normalized name, withdrawn records skipped, each record evaluated in the
// ecosystem's version order. Never matched: an empty or `(devel)` version (T19), and a Go
// binary's main module at `(devel)` or a pseudo-version (T4; grype reverted comparing them).
// The Go toolchain is the `stdlib` package at `go1.x.y`.
import type { CatalogedPackage, Finding, VulnSource } from '../model.js';
import { evaluateRangeRecord, isGoPseudoVersion } from '../versions/index.js';
import { idKey } from './vuln-groups.js';
import type { VulnInfo } from './vuln-info.js';

/** What matching one language package gives. */
export interface LanguageMatch {
  readonly findings: Finding[];
  readonly warnings: string[];
}

/** Why a package is not matched at all, or undefined when it is. */
export function unmatchableReason(pkg: CatalogedPackage): string | undefined {
  const version = pkg.version.trim();
  if (version === '' || version.startsWith('(devel)') || version === 'unknown') return 'no version';
  if (
    pkg.ecosystem === 'go' &&
    pkg.goMainModule === true &&
    (isGoPseudoVersion(version) || version.startsWith('v0.0.0-'))
  ) {
    return 'Go main module at a pseudo-version';
  }
  return undefined;
}

/** Matches one non-APK package against the range records for its ecosystem and name. */
export function matchLanguagePackage(
  pkg: CatalogedPackage,
  source: VulnSource,
  info: VulnInfo,
): LanguageMatch {
  const result: LanguageMatch = { findings: [], warnings: [] };
  if (pkg.ecosystem === 'apk' || unmatchableReason(pkg) !== undefined) return result;
  for (const record of source.rangeRecords(pkg.ecosystem, pkg.name)) {
    if (record.withdrawn !== undefined && record.withdrawn !== '') continue;
    const verdict = evaluateRangeRecord(record, pkg.version);
    result.warnings.push(...verdict.warnings);
    if (!verdict.affected) continue;
    const own = [
      record.vulnerability,
      ...record.aliases.filter((a) => idKey(a) !== idKey(record.vulnerability)),
    ];
    const described = info.describe(own);
    result.findings.push({
      package: pkg,
      vulnerability: record.vulnerability,
      aliases: [...own.slice(1), ...described.aliases],
      severity: described.severity,
      cvss: described.cvss,
      fix: {
        state: verdict.fixVersions.length > 0 ? 'fixed' : 'not-fixed',
        versions: [...verdict.fixVersions],
      },
      match: { kind: verdict.kind, searchedBy: pkg.name, constraint: verdict.constraint, record },
    });
  }
  return result;
}
