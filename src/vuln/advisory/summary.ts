/** One row per advisory, as `advisory list` shows them: where it stands now and since when. */
import type { AdvisoryDocument, AdvisoryEventType } from './model.js';
import { latestEvent } from './state.js';
import { normalizeTimestamp } from './time.js';

/** An advisory at a glance. */
export interface AdvisorySummary {
  readonly package: string;
  readonly id: string;
  readonly aliases: readonly string[];
  /** The latest event's type. */
  readonly state: AdvisoryEventType;
  /** With state `fixed`: the fixed version. */
  readonly fixedVersion?: string;
  /** With state `false-positive-determination`: its type. */
  readonly falsePositiveType?: string;
  /** The latest event's timestamp, UTC, second precision. */
  readonly updated: string;
  readonly events: number;
  readonly file: string;
}

/** Which advisories to list: of one package, and/or about one vulnerability (its id or an alias). */
export interface AdvisoryFilter {
  readonly package?: string;
  readonly vulnerability?: string;
}

/** Summaries sorted by package, then id (byte order). */
export function summarizeAdvisories(
  docs: readonly AdvisoryDocument[],
  filter: AdvisoryFilter = {},
): AdvisorySummary[] {
  const out: AdvisorySummary[] = [];
  for (const doc of docs) {
    if (filter.package !== undefined && doc.package.name !== filter.package) continue;
    for (const advisory of doc.advisories) {
      const v = filter.vulnerability;
      if (v !== undefined && advisory.id !== v && !advisory.aliases.includes(v)) continue;
      const latest = latestEvent(advisory);
      out.push({
        package: doc.package.name,
        id: advisory.id,
        aliases: advisory.aliases,
        state: latest.type,
        ...(latest.type === 'fixed' && { fixedVersion: latest.data.fixedVersion }),
        ...(latest.type === 'false-positive-determination' && { falsePositiveType: latest.data.type }),
        updated: normalizeTimestamp(latest.timestamp),
        events: advisory.events.length,
        file: doc.file,
      });
    }
  }
  return out.sort((a, b) => cmp(a.package, b.package) || cmp(a.id, b.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
