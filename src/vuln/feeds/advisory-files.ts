import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hexDigest, inFile } from '../../core/index.js';
import { advisoryDistroRecords, advisoryFiles, readAdvisoryDirectory } from '../advisory/index.js';
import type { FeedInput } from './feed-records.js';

/** Options of readAdvisoryFeed. */
export interface AdvisoryFeedOptions {
  /** Namespace of the records (`wolfi`, `chainguard`); absent: '' (any distribution). */
  readonly distro?: string;
}

/**
 * A Wolfi advisory directory as a feed: every `*.advisories.yaml` validated (one
 * ADVISORY_INVALID error lists the problems of all files), one distro record per advisory from
 * its latest event. The digest covers each file's name and bytes.
 */
export async function readAdvisoryFeed(dir: string, options: AdvisoryFeedOptions = {}): Promise<FeedInput> {
  const docs = await readAdvisoryDirectory(dir);
  const lines: string[] = [];
  for (const name of await advisoryFiles(dir)) {
    const bytes = await readFile(join(dir, name)).catch((err: unknown) => {
      throw inFile(join(dir, name), err);
    });
    lines.push(`${name} ${hexDigest('sha256', bytes)}\n`);
  }
  const distro = advisoryDistroRecords(docs, options.distro === undefined ? {} : { distro: options.distro });
  return {
    kind: 'advisories',
    location: resolve(dir),
    digest: `sha256:${hexDigest('sha256', lines.join(''))}`,
    files: docs.length,
    records: { distro, ranges: [], meta: [], skipped: {} },
  };
}
