// The JSON report, `larder-scan/v1` (documented in docs/scan-json.md): stable keys in a fixed
// order, every key always present (null when unknown), findings in report order.
import type { Cvss, Finding, FixState, Severity, SuppressedFinding } from '../model.js';
import type { ScanReport } from './scan-report.js';
import { countBySeverity, PACKAGE_TYPE, sortForReport } from './severity.js';

export const SCAN_JSON_SCHEMA = 'larder-scan/v1';

export interface ScanJsonFinding {
  vulnerability: string;
  aliases: string[];
  severity: Severity;
  cvss: { version: Cvss['version']; vector: string; score: number | null }[];
  package: {
    name: string;
    version: string;
    type: string;
    purl: string;
    origin: string | null;
    locations: string[];
  };
  fix: { state: FixState; versions: string[] };
  match: { kind: Finding['match']['kind']; searchedBy: string; constraint: string; source: string };
}

export interface ScanJsonSuppressed extends ScanJsonFinding {
  suppressedBy: { kind: SuppressedFinding['reason']['kind']; detail: string; source: string };
}

export interface ScanJson {
  schema: typeof SCAN_JSON_SCHEMA;
  tool: { name: string; version: string };
  source: { kind: string; target: string; digest: string | null; names: string[] };
  distro: { id: string; versionId: string | null } | null;
  dataSources: string[];
  findings: ScanJsonFinding[];
  suppressed: ScanJsonSuppressed[];
  counts: Record<Severity, number> & { total: number; suppressed: number };
}

/** The `larder-scan/v1` document of a scan. */
export function toScanJson(report: ScanReport): ScanJson {
  const { catalog } = report;
  const counts = countBySeverity(report.findings);
  return {
    schema: SCAN_JSON_SCHEMA,
    tool: { name: report.tool.name, version: report.tool.version },
    source: {
      kind: catalog.source.kind,
      target: catalog.source.target,
      digest: catalog.source.digest ?? null,
      names: [...(catalog.source.names ?? [])],
    },
    distro:
      catalog.distro === undefined
        ? null
        : { id: catalog.distro.id, versionId: catalog.distro.versionId ?? null },
    dataSources: [...report.dataSources],
    findings: sortForReport(report.findings, (f) => f).map(findingJson),
    suppressed: sortForReport(report.suppressed, (s) => s.finding).map((s) => ({
      ...findingJson(s.finding),
      suppressedBy: { kind: s.reason.kind, detail: s.reason.detail, source: s.reason.source },
    })),
    counts: {
      critical: counts.critical,
      high: counts.high,
      medium: counts.medium,
      low: counts.low,
      negligible: counts.negligible,
      unknown: counts.unknown,
      total: counts.total,
      suppressed: report.suppressed.length,
    },
  };
}

function findingJson(f: Finding): ScanJsonFinding {
  const p = f.package;
  return {
    vulnerability: f.vulnerability,
    aliases: [...f.aliases],
    severity: f.severity,
    cvss: f.cvss.map((c) => ({ version: c.version, vector: c.vector, score: c.score ?? null })),
    package: {
      name: p.name,
      version: p.version,
      type: PACKAGE_TYPE[p.ecosystem],
      purl: p.purl,
      origin: p.origin ?? null,
      locations: [...p.locations],
    },
    fix: { state: f.fix.state, versions: [...f.fix.versions] },
    match: {
      kind: f.match.kind,
      searchedBy: f.match.searchedBy,
      constraint: f.match.constraint,
      source: f.match.record.source,
    },
  };
}
