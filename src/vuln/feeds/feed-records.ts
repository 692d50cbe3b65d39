import type { DistroRecord, RangeRecord, VulnMeta } from '../model.js';

/** What a feed (secdb, OSV, advisories) contributes to the vulnerability database. */
export interface FeedRecords {
  readonly distro: readonly DistroRecord[];
  readonly ranges: readonly RangeRecord[];
  /** One entry per vulnerability id the feed describes (merged with other sources when read). */
  readonly meta: readonly VulnMeta[];
  /** What was left out and why, as reason → count (`ecosystem RubyGems: 3`). */
  readonly skipped: Readonly<Record<string, number>>;
}

/** The records of several feeds together (skipped counts added up). */
export function concatFeedRecords(parts: readonly FeedRecords[]): FeedRecords {
  const skipped: Record<string, number> = {};
  for (const part of parts)
    for (const [reason, n] of Object.entries(part.skipped)) skipped[reason] = (skipped[reason] ?? 0) + n;
  return {
    distro: parts.flatMap((p) => p.distro),
    ranges: parts.flatMap((p) => p.ranges),
    meta: parts.flatMap((p) => p.meta),
    skipped,
  };
}

/**
 * VulnMeta for id groups that carry nothing but ids (secdb lists, advisory documents): one per
 * primary id, aliases united, severity unknown.
 */
export function metaOfIdGroups(groups: Iterable<readonly [string, readonly string[]]>): VulnMeta[] {
  const aliases = new Map<string, Set<string>>();
  for (const [id, more] of groups) {
    const set = aliases.get(id) ?? new Set<string>();
    aliases.set(id, set);
    for (const alias of more) if (alias !== id) set.add(alias);
  }
  return [...aliases].map(([id, set]) => ({
    id,
    aliases: [...set],
    severity: 'unknown',
    cvss: [],
    references: [],
  }));
}

/** A feed as read for import: what it is, where it came from, its digest and its records. */
export interface FeedInput {
  readonly kind: 'secdb' | 'osv' | 'advisories';
  /** The path (absolute) or URL read. */
  readonly location: string;
  /** `sha256:<hex>` of the bytes read (for a directory: of each file's path and digest). */
  readonly digest: string;
  /** Files read (1 for a secdb or a single OSV file; members for a zip). */
  readonly files: number;
  readonly records: FeedRecords;
}
