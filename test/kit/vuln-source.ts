// An in-memory VulnSource for matching tests, shaped like the db part's memoryVulnSource
// (same argument), so tests can switch to it without other changes.
import type { DistroRecord, Ecosystem, RangeRecord, VulnMeta, VulnSource } from '../../src/vuln/model.js';

export interface VulnSourceRecords {
  readonly distro?: readonly DistroRecord[];
  readonly ranges?: readonly RangeRecord[];
  readonly meta?: readonly VulnMeta[];
}

/** A VulnSource over arrays; also counts lookups, so tests can see origins are looked up once. */
export function testVulnSource(records: VulnSourceRecords): VulnSource & { readonly lookups: string[] } {
  const lookups: string[] = [];
  const distro = records.distro ?? [];
  const ranges = records.ranges ?? [];
  const meta = records.meta ?? [];
  return {
    lookups,
    distroRecords(pkg) {
      lookups.push(`distro:${pkg}`);
      return distro.filter((r) => r.package === pkg);
    },
    rangeRecords(ecosystem: Ecosystem, name: string) {
      lookups.push(`${ecosystem}:${name}`);
      return ranges.filter((r) => r.ecosystem === ecosystem && r.package === name);
    },
    vulnerability(id) {
      const key = id.toUpperCase();
      return (
        meta.find((m) => m.id.toUpperCase() === key) ??
        meta.find((m) => m.aliases.some((a) => a.toUpperCase() === key))
      );
    },
  };
}
