// `--explain ID` for people: why each finding or suppression naming ID matched.
import type { DistroRecord, Finding, RangeRecord, SuppressedFinding } from '../model.js';
import { PACKAGE_TYPE } from './severity.js';
import { fixedIn } from './table.js';

/** One match to explain (the match part's `explain()` entries have this shape). */
export interface ExplainItem {
  readonly outcome: 'finding' | 'suppressed';
  readonly finding: Finding;
  readonly reason?: SuppressedFinding['reason'];
}

/**
 * A block per match: the package and where it was found, the name looked up (the origin for
 * APKs), the record and its file, the constraint and the installed version, the fix, and for
 * suppressions the statement that removed it. With no match, one line saying so and how many
 * findings the scan had.
 */
export function renderExplanation(
  id: string,
  items: readonly ExplainItem[],
  totals: { readonly findings: number; readonly suppressed: number },
): string {
  if (items.length === 0)
    return `${id}: no finding and no suppressed match names it in this scan (${totals.findings} findings, ${totals.suppressed} suppressed); check the id and the data sources\n`;
  const findings = items.filter((i) => i.outcome === 'finding').length;
  let out = `${id}: ${findings} finding${findings === 1 ? '' : 's'}, ${items.length - findings} suppressed\n`;
  for (const item of items) out += `\n${block(item)}`;
  return out;
}

/** Keys and values line up across blocks: the longest key (`constraint:`) and two spaces. */
const KEY_WIDTH = 13;

function block({ outcome, finding: f, reason }: ExplainItem): string {
  const p = f.package;
  const rows: [string, string][] = [
    ['package', p.purl],
    ['found at', p.locations.length === 0 ? '(no path: from an SBOM or a file)' : p.locations.join(', ')],
  ];
  if (p.ecosystem === 'apk')
    rows.push([
      'looked up',
      `${f.match.searchedBy} (${p.origin !== undefined && p.origin !== p.name ? 'the origin package' : 'the package name'}; ${f.match.kind})`,
    ]);
  else rows.push(['looked up', `${f.match.searchedBy} (${f.match.kind})`]);
  if (p.ownedBy !== undefined) rows.push(['owned by', p.ownedBy]);
  rows.push(['record', describeRecord(f.match.record)]);
  rows.push(['source', f.match.record.source]);
  rows.push(['constraint', f.match.constraint]);
  rows.push([
    'installed',
    `${p.version} (${outcome === 'finding' ? 'matches the constraint: vulnerable' : 'matches the constraint'})`,
  ]);
  rows.push(['fix', fixText(f)]);
  rows.push(['ids', [f.vulnerability, ...f.aliases].join(', ')]);
  rows.push([
    'severity',
    f.severity +
      (f.cvss.length === 0
        ? ''
        : ` (${f.cvss.map((c) => `CVSS ${c.version} ${c.score ?? '?'}`).join(', ')})`),
  ]);
  if (reason !== undefined)
    rows.push(['suppressed', `${reason.kind}: ${reason.detail}`], ['by', reason.source]);
  const verdict = outcome === 'finding' ? 'vulnerable' : `suppressed (${reason?.kind ?? 'unknown'})`;
  return `${p.name} ${p.version} (${PACKAGE_TYPE[p.ecosystem]}): ${verdict}\n${rows.map(([k, v]) => `  ${`${k}:`.padEnd(KEY_WIDTH)}${v}\n`).join('')}`;
}

function describeRecord(record: DistroRecord | RangeRecord): string {
  if ('state' in record) {
    const where = record.distro === '' ? 'any distribution' : record.distro;
    const state =
      record.state === 'fixed' && record.fixedVersion !== undefined
        ? `fixed in ${record.fixedVersion}`
        : record.state;
    return `${record.vulnerability} for ${record.package} (${where}): ${state}${record.reason === undefined ? '' : ` (${record.reason})`}`;
  }
  const withdrawn = record.withdrawn === undefined ? '' : `, withdrawn ${record.withdrawn}`;
  return `${record.vulnerability} for ${record.package} (${record.ecosystem} ranges${withdrawn})`;
}

function fixText(f: Finding): string {
  switch (f.fix.state) {
    case 'fixed':
      return `fixed in ${fixedIn(f)}`;
    case 'wont-fix':
      return "won't fix";
    case 'not-fixed':
      return 'no fix yet';
    case 'unknown':
      return 'unknown';
  }
}
