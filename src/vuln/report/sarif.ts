// SARIF 2.1.0, as grype's presenter writes it for code-scanning dashboards: one run, one rule per
// vulnerability, one result per finding located at the package's evidence paths.
import { hexDigest } from '../../core/index.js';
import type { Finding, Severity } from '../model.js';
import type { ScanReport } from './scan-report.js';
import { sortForReport } from './severity.js';
import { fixedIn } from './table.js';

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; rules: SarifRule[] } };
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri?: string;
  help: { text: string; markdown: string };
  properties: { 'security-severity': string; tags: string[] };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string };
      region: { startLine: 1; startColumn: 1; endLine: 1; endColumn: 1 };
    };
    logicalLocations: { name: string; fullyQualifiedName: string; kind: 'package' }[];
  }[];
  partialFingerprints: { primaryLocationLineHash: string };
}

const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** grype's fallback scores when no CVSS score is known. */
const FALLBACK_SCORE: Readonly<Record<Severity, number>> = {
  critical: 9,
  high: 7,
  medium: 4,
  low: 1,
  negligible: 0,
  unknown: 0,
};

/**
 * The SARIF log of a scan. Rules: one per vulnerability id, `security-severity` the highest CVSS
 * base score of its findings (else 9.0/7.0/4.0/1.0/0.0 by severity), help listing the affected
 * packages. Results: critical/high → error, medium → warning, others → note; located at each
 * evidence path of the package (the target itself when there is none), line 1; fingerprinted
 * by target, package, version, path and id.
 */
export function toSarif(report: ScanReport): SarifLog {
  const findings = sortForReport(report.findings, (f) => f);
  const ids = [...new Set(findings.map((f) => f.vulnerability))].sort();
  const rules = ids.map((id) =>
    ruleFor(
      id,
      findings.filter((f) => f.vulnerability === id),
      report,
    ),
  );
  const index = new Map(ids.map((id, i) => [id, i]));
  const target = report.catalog.source.target;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules,
          },
        },
        results: findings.map((f) => resultFor(f, index.get(f.vulnerability) ?? 0, target)),
      },
    ],
  };
}

function ruleFor(id: string, findings: readonly Finding[], report: ScanReport): SarifRule {
  const first = findings[0]!;
  const meta = report.vulnerabilities?.get(id);
  const scores = findings
    .flatMap((f) => f.cvss.map((c) => c.score ?? Number.NaN))
    .filter((s) => !Number.isNaN(s));
  const score = scores.length > 0 ? Math.max(...scores) : FALLBACK_SCORE[first.severity];
  const rows = findings.map((f) => [
    f.package.name,
    f.package.version,
    fixedIn(f) || '-',
    f.match.constraint,
  ]);
  const helpUri = meta?.references.find((r) => /^https?:\/\//.test(r)) ?? referenceUrl(id);
  return {
    id,
    name: `${first.match.kind.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase())}Match`,
    shortDescription: { text: `${id} ${first.severity} vulnerability` },
    fullDescription: {
      text: meta?.summary ?? `${id} affects ${[...new Set(findings.map((f) => f.package.name))].join(', ')}`,
    },
    ...(helpUri === undefined ? {} : { helpUri }),
    help: {
      text: `Vulnerability ${id}\nSeverity: ${first.severity}\n${rows.map((r) => `Package: ${r[0]} ${r[1]}, fixed in: ${r[2]}, matched: ${r[3]}`).join('\n')}`,
      markdown: `**Vulnerability ${id}**\n| Severity | Package | Version | Fixed in | Matched |\n| --- | --- | --- | --- | --- |\n${rows.map((r) => `| ${first.severity} | ${r.map(cell).join(' | ')} |`).join('\n')}\n`,
    },
    properties: { 'security-severity': score.toFixed(1), tags: ['security', first.severity] },
  };
}

function resultFor(f: Finding, ruleIndex: number, target: string): SarifResult {
  const paths = f.package.locations.length > 0 ? f.package.locations : [target];
  const fix = fixedIn(f);
  return {
    ruleId: f.vulnerability,
    ruleIndex,
    level:
      f.severity === 'critical' || f.severity === 'high'
        ? 'error'
        : f.severity === 'medium'
          ? 'warning'
          : 'note',
    message: {
      text: `${f.package.name} ${f.package.version} is affected by ${f.vulnerability} (${f.severity})${fix === '' ? '' : `; fixed in ${fix}`}`,
    },
    locations: paths.map((path) => ({
      physicalLocation: {
        artifactLocation: { uri: encodeURI(path.replace(/^\/+/, '')) },
        region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      },
      logicalLocations: [{ name: f.package.name, fullyQualifiedName: f.package.purl, kind: 'package' }],
    })),
    partialFingerprints: {
      primaryLocationLineHash: `${hexDigest('sha256', [target, f.package.name, f.package.version, paths[0], f.vulnerability].join('\0'))}:1`,
    },
  };
}

/** A page about the id, by its prefix. */
function referenceUrl(id: string): string | undefined {
  if (/^CVE-/.test(id)) return `https://nvd.nist.gov/vuln/detail/${id}`;
  if (/^GHSA-/.test(id)) return `https://github.com/advisories/${id}`;
  if (/^GO-/.test(id)) return `https://pkg.go.dev/vuln/${id}`;
  if (/^CGA-/.test(id)) return `https://images.chainguard.dev/security/${id}`;
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
