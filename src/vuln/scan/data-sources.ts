// The vulnerability data a scan consults: database files, and feeds read for this scan only
// (advisory directories, secdb files, OSV trees or zips), all seen as one VulnSource.
import { resolve } from 'node:path';
import { advisoryDistroRecords, readAdvisoryDirectory } from '../advisory/index.js';
import { memoryVulnSource, mergeVulnMeta, openVulnDatabase, type VulnDatabase } from '../db/index.js';
import { concatFeedRecords, type FeedRecords, readOsvPath, readSecdbFile } from '../feeds/index.js';
import type { VulnMeta, VulnSource } from '../model.js';

/** One `--db`, `--advisories`, `--secdb` or `--osv` argument. */
export interface DataSourceSpec {
  readonly kind: 'db' | 'advisories' | 'secdb' | 'osv';
  readonly location: string;
}

/** The opened data of a scan; `close()` releases database files. */
export interface OpenedDataSources {
  readonly source: VulnSource;
  /** `kind:location` per source, in the order given. */
  readonly labels: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens every source: databases must exist (VULN_DB_INVALID / IO name the file otherwise);
 * feeds are read into memory (their own errors name the file and place). Advisory records
 * apply to any distribution (namespace '').
 */
export async function openDataSources(specs: readonly DataSourceSpec[]): Promise<OpenedDataSources> {
  const databases: VulnDatabase[] = [];
  const feeds: FeedRecords[] = [];
  try {
    for (const spec of specs) {
      switch (spec.kind) {
        case 'db':
          databases.push(await openVulnDatabase(spec.location, { mustExist: true }));
          break;
        case 'advisories': {
          const docs = await readAdvisoryDirectory(spec.location);
          feeds.push({ distro: advisoryDistroRecords(docs), ranges: [], meta: [], skipped: {} });
          break;
        }
        case 'secdb':
          feeds.push((await readSecdbFile(spec.location)).records);
          break;
        case 'osv':
          feeds.push((await readOsvPath(spec.location)).records);
          break;
      }
    }
  } catch (err) {
    await Promise.all(databases.map((db) => db.close()));
    throw err;
  }
  const sources: VulnSource[] = [...databases];
  if (feeds.length > 0) sources.push(memoryVulnSource(concatFeedRecords(feeds)));
  return {
    source: combineVulnSources(sources),
    labels: specs.map((s) => `${s.kind}:${s.kind === 'db' ? resolve(s.location) : s.location}`),
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
