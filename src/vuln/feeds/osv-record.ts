import type { Cvss, DistroRecord, RangeEvent, RangeRecord, Severity, VulnMeta } from '../model.js';
import { fixedVersionProblem } from './apk-fixed-version.js';
import { readCvss } from './cvss.js';
import { inputError, inputIssuesError } from './input-issues.js';
import { jsonPath } from './json-input.js';
import { normalizePackageName, osvEcosystemTarget } from './osv-ecosystem.js';
import { toRangeEvent } from './osv-events.js';
import { OSV_RECORD, type OsvAffected, type OsvRecord } from './osv-schema.js';
import { severityOf, severityOfText } from './severity.js';

/** FeedRecords being filled, record by record (a FeedSink is a FeedRecords). */
export interface FeedSink {
  readonly distro: DistroRecord[];
  readonly ranges: RangeRecord[];
  readonly meta: VulnMeta[];
  readonly skipped: Record<string, number>;
}

/** An empty sink. */
export function feedSink(): FeedSink {
  return { distro: [], ranges: [], meta: [], skipped: {} };
}

const CVSS_TYPES: Readonly<Record<string, RegExp>> = {
  CVSS_V2: /^(?!CVSS:)|^CVSS:2\.0\//,
  CVSS_V3: /^CVSS:3\./,
  CVSS_V4: /^CVSS:4\./,
};

/**
 * Adds one OSV record (already JSON-parsed `data`, read from `file`, at `prefix` inside it) to
 * `sink`. Affected entries of Wolfi, Chainguard and Alpine become distro records; Go, PyPI, npm,
 * Maven and crates.io entries become range records; other ecosystems are counted as skipped.
 * The record's metadata (aliases, summary, CVSS, severity) is added when it has at least one
 * supported affected entry. Problems are OSV_INVALID naming the file, field and value.
 */
export function addOsvRecord(
  data: unknown,
  file: string,
  sink: FeedSink,
  prefix: readonly PropertyKey[] = [],
): void {
  const parsed = OSV_RECORD.safeParse(data);
  if (!parsed.success) throw inputIssuesError('OSV_INVALID', file, data, parsed.error, prefix);
  const record = parsed.data;
  const problems: string[] = [];
  const at = (...path: PropertyKey[]) => jsonPath([...prefix, ...path]);
  for (const key of ['modified', 'published', 'withdrawn'] as const) {
    const value = record[key];
    if (value !== undefined && Number.isNaN(Date.parse(value)))
      problems.push(`${at(key)}: ${JSON.stringify(value)} is not an RFC 3339 timestamp`);
  }
  const cvss = [
    ...readSeverities(record.severity, at('severity'), problems),
    ...(record.affected ?? []).flatMap((a, i) =>
      readSeverities(a.severity, at('affected', i, 'severity'), problems),
    ),
  ];
  const aliases = without(record.id, record.aliases ?? []);
  const distroAliases = without(record.id, [
    ...aliases,
    ...(record.related ?? []),
    ...(record.upstream ?? []),
  ]);
  let kept = 0;
  let distroSeen = false;
  for (const [i, affected] of (record.affected ?? []).entries()) {
    if (affected.package === undefined) {
      count(sink, 'affected entry without a package');
      continue;
    }
    const target = osvEcosystemTarget(affected.package.ecosystem);
    if (target.kind === 'unsupported') {
      count(sink, `ecosystem ${affected.package.ecosystem}`);
      continue;
    }
    const ranges = (affected.ranges ?? []).map((range) => ({
      type: range.type,
      events: range.events.map(toRangeEvent),
      falsePositive: range.database_specific?.false_positive === true,
    }));
    if (target.kind === 'range') {
      kept++;
      sink.ranges.push({
        ecosystem: target.ecosystem,
        package: normalizePackageName(target.ecosystem, affected.package.name),
        vulnerability: record.id,
        aliases,
        ranges: ranges.map(({ type, events }) => ({ type, events })),
        versions: affected.versions ?? [],
        ...(record.withdrawn !== undefined && { withdrawn: record.withdrawn }),
        source: `osv:${record.id}`,
      });
      continue;
    }
    distroSeen = true;
    if (record.withdrawn !== undefined) {
      count(sink, 'withdrawn distro record');
      continue;
    }
    kept++;
    const base = {
      distro: target.distro,
      package: affected.package.name,
      vulnerability: record.id,
      aliases: distroAliases,
      timestamp: record.modified,
      source: `osv:${record.id}`,
    };
    for (const statement of distroStatements(affected, ranges, at('affected', i), problems))
      sink.distro.push({ ...base, ...statement });
  }
  if (problems.length > 0) throw inputError('OSV_INVALID', file, problems);
  if (kept === 0) {
    if ((record.affected ?? []).length === 0) count(sink, 'record without affected packages');
    return;
  }
  const stated: Severity[] = [severityOfText(stringField(record.database_specific, 'severity'))];
  const summary = record.summary ?? record.details?.split('\n')[0]?.trim();
  sink.meta.push({
    id: record.id,
    aliases: distroSeen ? distroAliases : aliases,
    ...(summary !== undefined && summary !== '' && { summary }),
    severity: severityOf(cvss, stated),
    cvss,
    ...(record.published !== undefined && { published: record.published }),
    modified: record.modified,
    references: [...new Set((record.references ?? []).map((r) => r.url))],
  });
}

type Statement = Pick<DistroRecord, 'state' | 'fixedVersion' | 'reason'>;

/**
 * What a distro affected entry states. `fixed: "0"` (or a range marked `false_positive`, as
 * wolfictl writes them) is not-affected; each other fixed version is a fixed statement; a range
 * without a fix, `last_affected`, explicit versions or no ranges at all is affected.
 */
function distroStatements(
  affected: OsvAffected,
  ranges: readonly { type: string; events: readonly RangeEvent[]; falsePositive: boolean }[],
  at: string,
  problems: string[],
): Statement[] {
  const out: Statement[] = [];
  let open = (affected.versions ?? []).length > 0 || ranges.length === 0;
  for (const [r, range] of ranges.entries()) {
    if (range.type === 'GIT') continue;
    const fixes = range.events.flatMap((e) => (e.fixed === undefined ? [] : [e.fixed]));
    if (range.falsePositive || fixes.includes('0')) {
      out.push({
        state: 'not-affected',
        reason: range.falsePositive ? 'false positive (OSV)' : 'OSV fixed "0"',
      });
      continue;
    }
    for (const fixed of fixes) {
      const bad = fixedVersionProblem(fixed);
      if (bad !== undefined) problems.push(`${at}.ranges[${r}]: fixed ${JSON.stringify(fixed)} ${bad}`);
      else out.push({ state: 'fixed', fixedVersion: fixed });
    }
    if (fixes.length === 0) open = true;
  }
  if (open) out.push({ state: 'affected' });
  return out;
}

function readSeverities(list: OsvRecord['severity'], at: string, problems: string[]): Cvss[] {
  const out: Cvss[] = [];
  for (const [i, entry] of (list ?? []).entries()) {
    const shape = CVSS_TYPES[entry.type];
    if (shape === undefined) continue; // Ubuntu's words and future types carry no vector
    const reading = shape.test(entry.score)
      ? readCvss(entry.score)
      : { problem: `not a ${entry.type} vector` };
    if ('problem' in reading)
      problems.push(`${at}[${i}].score: ${JSON.stringify(entry.score)}: ${reading.problem}`);
    else out.push(reading.cvss);
  }
  return out;
}

function without(id: string, ids: readonly string[]): string[] {
  return [...new Set(ids)].filter((x) => x !== id);
}

function stringField(
  object: Readonly<Record<string, unknown>> | null | undefined,
  key: string,
): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

function count(sink: FeedSink, reason: string): void {
  sink.skipped[reason] = (sink.skipped[reason] ?? 0) + 1;
}
