import type {
  VulnCvssTable,
  VulnDistroRecordTable,
  VulnerabilityTable,
  VulnRangeRecordTable,
} from '../../store/index.js';
import type { Cvss, DistroRecord, Ecosystem, RangeRecord, Severity, VulnMeta } from '../model.js';

// Records ↔ rows of the store's vuln_* tables. Lists and range events are JSON text.

export function distroRow(sourceId: number, seq: number, r: DistroRecord): VulnDistroRecordTable {
  return {
    source_id: sourceId,
    seq,
    distro: r.distro,
    package: r.package,
    vulnerability: r.vulnerability,
    aliases: JSON.stringify(r.aliases),
    state: r.state,
    fixed_version: r.fixedVersion ?? null,
    reason: r.reason ?? null,
    decided_at: r.timestamp ?? null,
    origin: r.source,
  };
}

export function distroRecordOf(row: Omit<VulnDistroRecordTable, 'source_id' | 'seq'>): DistroRecord {
  return {
    distro: row.distro,
    package: row.package,
    vulnerability: row.vulnerability,
    aliases: JSON.parse(row.aliases) as string[],
    state: row.state as DistroRecord['state'],
    ...(row.fixed_version !== null && { fixedVersion: row.fixed_version }),
    ...(row.reason !== null && { reason: row.reason }),
    ...(row.decided_at !== null && { timestamp: row.decided_at }),
    source: row.origin,
  };
}

export function rangeRow(sourceId: number, seq: number, r: RangeRecord): VulnRangeRecordTable {
  return {
    source_id: sourceId,
    seq,
    ecosystem: r.ecosystem,
    package: r.package,
    vulnerability: r.vulnerability,
    aliases: JSON.stringify(r.aliases),
    ranges: JSON.stringify(r.ranges),
    versions: JSON.stringify(r.versions),
    withdrawn: r.withdrawn ?? null,
    origin: r.source,
  };
}

export function rangeRecordOf(row: Omit<VulnRangeRecordTable, 'source_id' | 'seq'>): RangeRecord {
  return {
    ecosystem: row.ecosystem as Ecosystem,
    package: row.package,
    vulnerability: row.vulnerability,
    aliases: JSON.parse(row.aliases) as string[],
    ranges: JSON.parse(row.ranges) as RangeRecord['ranges'],
    versions: JSON.parse(row.versions) as string[],
    ...(row.withdrawn !== null && { withdrawn: row.withdrawn }),
    source: row.origin,
  };
}

export function vulnerabilityRow(sourceId: number, m: VulnMeta): VulnerabilityTable {
  return {
    source_id: sourceId,
    id: m.id,
    summary: m.summary ?? null,
    severity: m.severity,
    published: m.published ?? null,
    modified: m.modified ?? null,
    reference_urls: JSON.stringify(m.references),
  };
}

export function cvssRows(sourceId: number, m: VulnMeta): VulnCvssTable[] {
  return m.cvss.map((c) => ({
    source_id: sourceId,
    id: m.id,
    version: c.version,
    vector: c.vector,
    score: c.score ?? null,
  }));
}

/** One source's entry for a vulnerability, from its rows. */
export function metaOf(
  row: Pick<VulnerabilityTable, 'id' | 'summary' | 'severity' | 'published' | 'modified' | 'reference_urls'>,
  aliases: readonly string[],
  cvss: readonly Pick<VulnCvssTable, 'version' | 'vector' | 'score'>[],
): VulnMeta {
  return {
    id: row.id,
    aliases,
    ...(row.summary !== null && { summary: row.summary }),
    severity: row.severity as Severity,
    cvss: cvss.map(
      (c): Cvss => ({
        version: c.version as Cvss['version'],
        vector: c.vector,
        ...(c.score !== null && { score: c.score }),
      }),
    ),
    ...(row.published !== null && { published: row.published }),
    ...(row.modified !== null && { modified: row.modified }),
    references: JSON.parse(row.reference_urls) as string[],
  };
}
