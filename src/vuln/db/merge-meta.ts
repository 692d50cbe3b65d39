import { metaOfIdGroups, severityOf } from '../feeds/index.js';
import type { Cvss, DistroRecord, RangeRecord, VulnMeta } from '../model.js';

/**
 * One view of a vulnerability from the entries sources give for it and its aliases: `id` is
 * the id asked for; aliases are every other id of the group; the summary comes from an entry
 * for `id` itself if there is one (else the first by id); CVSS ratings are united; severity is
 * the highest CVSS-derived level, else the highest stated one; published is the earliest,
 * modified the latest; references are united in order.
 */
export function mergeVulnMeta(id: string, entries: readonly VulnMeta[]): VulnMeta | undefined {
  if (entries.length === 0) return undefined;
  const ordered = [...entries].sort((a, b) => rank(a, id) - rank(b, id) || compare(a.id, b.id));
  const aliases = new Set<string>();
  const cvss = new Map<string, Cvss>();
  const references = new Set<string>();
  let summary: string | undefined;
  let published: string | undefined;
  let modified: string | undefined;
  for (const entry of ordered) {
    for (const other of [entry.id, ...entry.aliases]) if (other !== id) aliases.add(other);
    for (const rating of entry.cvss) {
      const key = `${rating.version} ${rating.vector}`;
      const known = cvss.get(key);
      if (known === undefined || (known.score === undefined && rating.score !== undefined))
        cvss.set(key, rating);
    }
    for (const url of entry.references) references.add(url);
    summary ??= entry.summary;
    if (entry.published !== undefined && (published === undefined || entry.published < published))
      published = entry.published;
    if (entry.modified !== undefined && (modified === undefined || entry.modified > modified))
      modified = entry.modified;
  }
  const ratings = [...cvss.values()];
  return {
    id,
    aliases: [...aliases].sort(compare),
    ...(summary !== undefined && { summary }),
    severity: severityOf(
      ratings,
      ordered.map((e) => e.severity),
    ),
    cvss: ratings,
    ...(published !== undefined && { published }),
    ...(modified !== undefined && { modified }),
    references: [...references],
  };
}

/**
 * Finds the entries of `id`'s group through `lookup` (entries whose id or an alias is one of the
 * given ids): those naming `id`, then those naming any id the first ones name. Two rounds, so a
 * CVE reaches the GHSA and Go records that list it and the CGA advisory that lists those, without
 * chaining unrelated vulnerabilities through a record that names many. `identity` tells two
 * lookups' answers for the same entry apart from different entries (default: the object).
 */
export function findMetaGroup<T extends VulnMeta>(
  id: string,
  lookup: (ids: readonly string[]) => readonly T[],
  identity: (entry: T) => unknown = (entry) => entry,
): T[] {
  const seen = new Set([id]);
  const found = new Map<unknown, T>();
  let frontier = [id];
  for (let round = 0; round < 2 && frontier.length > 0; round++) {
    const next: string[] = [];
    for (const entry of lookup(frontier)) {
      const key = identity(entry);
      if (found.has(key)) continue;
      found.set(key, entry);
      for (const other of [entry.id, ...entry.aliases])
        if (!seen.has(other)) {
          seen.add(other);
          next.push(other);
        }
    }
    frontier = next;
  }
  return [...found.values()];
}

/**
 * `meta` plus id-only entries for every record id (and its aliases) no entry covers, so that
 * `vulnerability(id)` answers for each id a record matches under.
 */
export function completeMeta(
  meta: readonly VulnMeta[],
  distro: readonly DistroRecord[],
  ranges: readonly RangeRecord[],
): VulnMeta[] {
  const covered = new Set(meta.map((m) => m.id));
  const missing: [string, readonly string[]][] = [];
  for (const record of [...distro, ...ranges])
    if (!covered.has(record.vulnerability)) missing.push([record.vulnerability, record.aliases]);
  return [...meta, ...metaOfIdGroups(missing)];
}

function rank(entry: VulnMeta, id: string): number {
  return entry.id === id ? 0 : 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
