// The vulnerability data a scan consults: database files, and feeds read for this scan only
// (advisory directories, secdb files, OSV trees or zips), all seen as one VulnSource.
import { resolve } from 'node:path';
import { memoryVulnSource, mergeVulnMeta, openVulnDatabase, type VulnDatabase } from '../db/index.js';
import { concatFeedRecords, type FeedInput } from '../feeds/index.js';
import type { VulnMeta, VulnSource } from '../model.js';

/** What a scan reads: `--db` files, and feeds already read (`--advisories`, `--secdb`, `--osv`). */
export interface DataSourceInput {
  readonly databases: readonly string[];
  readonly feeds: readonly FeedInput[];
}

/** The opened data of a scan; `close()` releases database files. */
export interface OpenedDataSources {
  readonly source: VulnSource;
  /** `db:<file>`, then `<kind>:<location>` per feed, in the order given. */
  readonly labels: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens the databases, which must exist (NOT_FOUND, VULN_DB_INVALID name the file otherwise),
 * and puts the feeds' records in memory; together they answer as one source.
 */
export async function openDataSources(input: DataSourceInput): Promise<OpenedDataSources> {
  const databases: VulnDatabase[] = [];
  try {
    for (const location of input.databases)
      databases.push(await openVulnDatabase(location, { mustExist: true }));
  } catch (err) {
    await Promise.all(databases.map((db) => db.close()));
    throw err;
  }
  const sources: VulnSource[] = [...databases];
  if (input.feeds.length > 0)
    sources.push(memoryVulnSource(concatFeedRecords(input.feeds.map((f) => f.records))));
  return {
    source: combineVulnSources(sources),
    labels: [
      ...input.databases.map((location) => `db:${resolve(location)}`),
      ...input.feeds.map((feed) => `${feed.kind}:${feed.location}`),
    ],
    close: async () => {
      await Promise.all(databases.map((db) => db.close()));
    },
  };
}

/** Several sources as one: records of all of them; metadata merged over those that know the id. */
export function combineVulnSources(sources: readonly VulnSource[]): VulnSource {
  if (sources.length === 1) return sources[0]!;
  return {
    distroRecords: (pkg) => sources.flatMap((s) => s.distroRecords(pkg)),
    rangeRecords: (ecosystem, name) => sources.flatMap((s) => s.rangeRecords(ecosystem, name)),
    vulnerability: (id) =>
      mergeVulnMeta(
        id,
        sources.map((s) => s.vulnerability(id)).filter((m): m is VulnMeta => m !== undefined),
      ),
  };
}
