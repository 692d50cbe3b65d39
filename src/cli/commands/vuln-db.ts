import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LarderError } from '../../core/index.js';
import { type ImportedSource, openVulnDatabase, type VulnDbStatus } from '../../vuln/index.js';
import { globalsOf } from '../program.js';
import { type FeedOptions, readFeeds } from './vuln-db-feeds.js';

/** Options of `larder vuln db import`. */
export interface VulnDbImportOptions extends FeedOptions {
  readonly db?: string;
  readonly json?: boolean;
}

/**
 * `larder vuln db import [--advisories DIR]... [--secdb FILE|URL]... [--osv PATH]... [--db FILE]`:
 * reads every source first (a broken one stops the command before anything is written), then
 * imports them all in one transaction. Prints one line per source with what it now holds, or
 * with --json `{db, sources}`.
 */
export async function vulnDbImportCommand(opts: VulnDbImportOptions, cmd: Command): Promise<void> {
  const { stateDir } = globalsOf(cmd);
  const given = (opts.advisories?.length ?? 0) + (opts.secdb?.length ?? 0) + (opts.osv?.length ?? 0);
  if (given === 0) throw new LarderError('USAGE', 'nothing to import: give --advisories, --secdb or --osv');
  const feeds = await readFeeds(opts, stateDir);
  const path = databasePath(opts.db, stateDir);
  const db = await openVulnDatabase(path);
  let sources: ImportedSource[];
  try {
    sources = await db.import(feeds);
  } finally {
    await db.close();
  }
  if (opts.json === true) {
    process.stdout.write(`${JSON.stringify({ db: path, sources })}\n`);
    return;
  }
  for (const s of sources) process.stdout.write(`imported ${s.kind} ${s.location}: ${describeCounts(s)}\n`);
}

/** `larder vuln db status [--db FILE] [--json]`. */
export async function vulnDbStatusCommand(
  opts: { db?: string; json?: boolean },
  cmd: Command,
): Promise<void> {
  const path = databasePath(opts.db, globalsOf(cmd).stateDir);
  let db: Awaited<ReturnType<typeof openVulnDatabase>>;
  try {
    db = await openVulnDatabase(path, { mustExist: true });
  } catch (err) {
    if (err instanceof LarderError && err.code === 'NOT_FOUND')
      throw new LarderError(
        'NOT_FOUND',
        `${path}: no vulnerability database (create one with larder vuln db import)`,
        {
          cause: err,
          subject: path,
        },
      );
    throw err;
  }
  let status: VulnDbStatus;
  try {
    status = await db.status();
  } finally {
    await db.close();
  }
  process.stdout.write(opts.json === true ? `${JSON.stringify(status)}\n` : renderStatus(status));
}

function databasePath(db: string | undefined, stateDir: string): string {
  return resolve(db ?? join(stateDir, 'vuln', 'vuln.db'));
}

function describeCounts(s: ImportedSource): string {
  const c = s.counts;
  const parts = [
    ...(s.kind === 'secdb' ? [] : [plural(c.files, 'file')]),
    plural(c.distroRecords, 'distro record'),
    plural(c.rangeRecords, 'range record'),
    plural(c.vulnerabilities, 'vulnerability', 'vulnerabilities'),
  ];
  const skipped = Object.entries(c.skipped).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tail =
    skipped.length === 0 ? '' : ` (skipped: ${skipped.map(([why, n]) => `${n} ${why}`).join(', ')})`;
  return `${parts.join(', ')}${tail}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A summary block, then one row per source. */
export function renderStatus(status: VulnDbStatus): string {
  const t = status.totals;
  const head = [
    `database         ${status.location}`,
    `schema version   ${status.schemaVersion}`,
    `sources          ${status.sources.length}`,
    `vulnerabilities  ${t.vulnerabilities}`,
    `distro records   ${t.distroRecords}`,
    `range records    ${t.rangeRecords}`,
  ];
  if (status.sources.length === 0) return `${head.join('\n')}\n`;
  const rows = [
    ['KIND', 'IMPORTED', 'DISTRO', 'RANGES', 'VULNS', 'LOCATION'],
    ...status.sources.map((s) => [
      s.kind,
      s.importedAt,
      String(s.counts.distroRecords),
      String(s.counts.rangeRecords),
      String(s.counts.vulnerabilities),
      s.location,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${head.join('\n')}\n\n${lines.join('\n')}\n`;
}
