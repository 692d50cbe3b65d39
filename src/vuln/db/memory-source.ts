import type { DistroRecord, Ecosystem, RangeRecord, VulnMeta, VulnSource } from '../model.js';
import { completeMeta, findMetaGroup, mergeVulnMeta } from './merge-meta.js';

/** Records for memoryVulnSource: any FeedRecords fits. */
export interface VulnRecords {
  readonly distro?: readonly DistroRecord[];
  readonly ranges?: readonly RangeRecord[];
  readonly meta?: readonly VulnMeta[];
}

/**
 * A VulnSource over records held in memory (for `scan --secdb/--osv/--advisories` without a
 * database file, and for tests). The records are indexed, not copied; answers are the same as a
 * database holding the same records would give.
 */
export function memoryVulnSource(records: VulnRecords): VulnSource {
  const distro = groupBy(records.distro ?? [], (r) => r.package);
  const ranges = groupBy(records.ranges ?? [], (r) => rangeKey(r.ecosystem, r.package));
  const meta = completeMeta(records.meta ?? [], records.distro ?? [], records.ranges ?? []);
  const byName = groupBy(meta, (m) => m.id);
  for (const entry of meta)
    for (const alias of entry.aliases) {
      const list = byName.get(alias);
      if (list === undefined) byName.set(alias, [entry]);
      else list.push(entry);
    }
  return {
    distroRecords: (pkg) => distro.get(pkg) ?? [],
    rangeRecords: (ecosystem, name) => ranges.get(rangeKey(ecosystem, name)) ?? [],
    vulnerability: (id) =>
      mergeVulnMeta(
        id,
        findMetaGroup(id, (ids) => ids.flatMap((x) => byName.get(x) ?? [])),
      ),
  };
}

function rangeKey(ecosystem: Ecosystem, name: string): string {
  return `${ecosystem}\u0000${name}`;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list === undefined) out.set(k, [item]);
    else list.push(item);
  }
  return out;
}
