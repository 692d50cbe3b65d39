// The table report: grype's columns, sorted by severity, and a summary line to read at a glance.
import type { Finding, Severity, SuppressedFinding } from '../model.js';
import type { ScanReport } from './scan-report.js';
import { countBySeverity, PACKAGE_TYPE, sortForReport } from './severity.js';

const HEADER = ['NAME', 'INSTALLED', 'FIXED-IN', 'TYPE', 'VULNERABILITY', 'SEVERITY'] as const;
const FIXED_IN_WIDTH = 30;

/** ANSI styles per severity, for terminals only. */
const STYLE: Readonly<Record<Severity, [string, string]>> = {
  critical: ['\x1b[1;31m', '\x1b[0m'],
  high: ['\x1b[31m', '\x1b[0m'],
  medium: ['\x1b[33m', '\x1b[0m'],
  low: ['\x1b[32m', '\x1b[0m'],
  negligible: ['\x1b[2m', '\x1b[0m'],
  unknown: ['\x1b[2m', '\x1b[0m'],
};

const SUPPRESSION_NAMES: Readonly<Record<SuppressedFinding['reason']['kind'], string>> = {
  'distro-not-affected': 'not affected per the distribution',
  'distro-fixed-owner': 'fixed in the owning APK',
  vex: 'by VEX',
  'ignore-rule': 'by ignore rules',
  'only-fixed': 'without a fix (--only-fixed)',
};

/**
 * `NAME INSTALLED FIXED-IN TYPE VULNERABILITY SEVERITY`, columns padded with two spaces, one
 * row per finding in report order, then a summary line: counts by severity (highest first)
 * and suppressed matches by reason. FIXED-IN lists the fix versions (cut near 30 characters),
 * `(won't fix)` for wont-fix, nothing otherwise. `color` styles the severity column.
 */
export function renderTable(
  report: Pick<ScanReport, 'findings' | 'suppressed'>,
  options: { color?: boolean } = {},
): string {
  const findings = sortForReport(report.findings, (f) => f);
  const rows = findings.map((f) => [
    f.package.name,
    f.package.version,
    fixedIn(f),
    PACKAGE_TYPE[f.package.ecosystem],
    displayId(f),
    severityLabel(f.severity),
  ]);
  let out = '';
  if (rows.length > 0) {
    const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: readonly string[], severity?: Severity) =>
      cells
        .map((cell, i) => {
          const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]!);
          return i === cells.length - 1 && options.color === true && severity !== undefined
            ? `${STYLE[severity][0]}${padded}${STYLE[severity][1]}`
            : padded;
        })
        .join('  ');
    out += `${line(HEADER)}\n`;
    rows.forEach((r, i) => {
      out += `${line(r, findings[i]!.severity)}\n`;
    });
  }
  return `${out}${summaryLine(findings, report.suppressed)}\n`;
}

/** `5 vulnerabilities in 3 packages: 1 critical, 4 high; 2 suppressed (1 by VEX, 1 by ignore rules)` */
export function summaryLine(findings: readonly Finding[], suppressed: readonly SuppressedFinding[]): string {
  const counts = countBySeverity(findings);
  const packages = new Set(findings.map((f) => f.package.id)).size;
  const bySeverity = (['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  const head =
    findings.length === 0
      ? 'No vulnerabilities found'
      : `${plural(findings.length, 'vulnerability', 'vulnerabilities')} in ${plural(packages, 'package', 'packages')}: ${bySeverity}`;
  if (suppressed.length === 0) return head;
  const byKind = new Map<string, number>();
  for (const s of suppressed) byKind.set(s.reason.kind, (byKind.get(s.reason.kind) ?? 0) + 1);
  const kinds = [...byKind.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${n} ${SUPPRESSION_NAMES[kind as SuppressedFinding['reason']['kind']]}`)
    .join(', ');
  return `${head}; ${suppressed.length} suppressed (${kinds})`;
}

/**
 * The id the table shows: the CVE when the record's own id is a distribution's (`CGA-...`,
 * `ALPINE-...`) and it has a CVE alias, since that is the name people search for; else the id.
 * JSON and SARIF keep the record's id, with the aliases.
 */
export function displayId(f: Finding): string {
  if (/^(CVE|GHSA|GO|PYSEC|RUSTSEC)-/.test(f.vulnerability)) return f.vulnerability;
  return f.aliases.find((a) => /^CVE-\d{4}-\d+$/.test(a)) ?? f.vulnerability;
}

/** What FIXED-IN shows for a finding. */
export function fixedIn(f: Finding): string {
  if (f.fix.state === 'wont-fix') return "(won't fix)";
  if (f.fix.state !== 'fixed') return '';
  const text = f.fix.versions.join(', ');
  return text.length > FIXED_IN_WIDTH ? `${text.slice(0, FIXED_IN_WIDTH - 3)}...` : text;
}

function severityLabel(severity: Severity): string {
  return severity.charAt(0).toUpperCase() + severity.slice(1);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
