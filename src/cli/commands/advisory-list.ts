import { type AdvisorySummary, readAdvisoryDirectory, summarizeAdvisories } from '../../vuln/index.js';

/** Options of `advisory list`. */
export interface AdvisoryListOptions {
  readonly package?: string;
  readonly vuln?: string;
  readonly json?: boolean;
}

/**
 * `larder advisory list DIR [--package P] [--vuln ID] [--json]`: one row per advisory, sorted
 * by package then id: PACKAGE ID ALIASES STATE FIXED UPDATED (`-` for nothing), or one JSON line.
 */
export async function advisoryList(dir: string, raw: Record<string, unknown>): Promise<void> {
  const o = raw as AdvisoryListOptions;
  const docs = await readAdvisoryDirectory(dir);
  const rows = summarizeAdvisories(docs, {
    ...(o.package !== undefined && { package: o.package }),
    ...(o.vuln !== undefined && { vulnerability: o.vuln }),
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  if (rows.length === 0) return;
  process.stdout.write(formatTable(rows));
}

const HEADER = ['PACKAGE', 'ID', 'ALIASES', 'STATE', 'FIXED', 'UPDATED'];

function formatTable(rows: readonly AdvisorySummary[]): string {
  const cells = [
    HEADER,
    ...rows.map((r) => [
      r.package,
      r.id,
      r.aliases.length > 0 ? r.aliases.join(',') : '-',
      r.state,
      r.fixedVersion ?? '-',
      r.updated,
    ]),
  ];
  const widths = HEADER.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  return cells
    .map((c) =>
      c
        .map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
