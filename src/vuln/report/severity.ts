// Severity order, finding order, and the names reports use for ecosystems.
import { type Ecosystem, type Finding, SEVERITIES, type Severity } from '../model.js';

/** 0 for unknown up to 5 for critical. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The severities `--fail-on` takes (grype's list, from negligible up). */
export const FAIL_ON_SEVERITIES = ['negligible', 'low', 'medium', 'high', 'critical'] as const;

/** `--fail-on` value → severity; anything else is a usage error naming the value. */
export function parseFailOn(value: string): Severity | undefined {
  const lower = value.toLowerCase();
  return (FAIL_ON_SEVERITIES as readonly string[]).includes(lower) ? (lower as Severity) : undefined;
}

/** Report order: severity (highest first), package name, version, vulnerability id; byte order. */
export function compareForReport(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    byText(a.package.name, b.package.name) ||
    byText(a.package.version, b.package.version) ||
    byText(a.vulnerability, b.vulnerability) ||
    byText(a.package.id, b.package.id)
  );
}

/** Findings sorted for a report (a copy). */
export function sortForReport<T>(items: readonly T[], findingOf: (item: T) => Finding): T[] {
  return [...items].sort((a, b) => compareForReport(findingOf(a), findingOf(b)));
}

/** syft's package types, which grype's and most scanners' reports show. */
export const PACKAGE_TYPE: Readonly<Record<Ecosystem, string>> = {
  apk: 'apk',
  go: 'go-module',
  pypi: 'python',
  npm: 'npm',
  maven: 'java-archive',
  cargo: 'rust-crate',
};

/** Counts of findings by severity, highest first, plus the total. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> & { total: number } {
  const counts = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    negligible: 0,
    unknown: 0,
    total: findings.length,
  };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
