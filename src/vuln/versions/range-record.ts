// A whole OSV `affected` entry against one installed version: SEMVER and ECOSYSTEM ranges (GIT
// ranges name commits and are ignored here), then the explicit `versions` list.
import { LarderError } from '../../core/index.js';
import type { RangeRecord } from '../model.js';
import { ecosystemOrder, rangeOrders } from './ecosystem-orders.js';
import {
  type CompiledRange,
  compileRange,
  findInterval,
  formatRange,
  type OsvInterval,
} from './osv-range.js';
import { type AnyVersionOrder, tryParse } from './version-order.js';

/** What one record says about one installed version. */
export interface RangeVerdict {
  readonly affected: boolean;
  /** `osv-range` when a range holds the version, `osv-version` when only the explicit list names it. */
  readonly kind: 'osv-range' | 'osv-version';
  /** The matching range(s) as grype writes constraints, e.g. `>= 1.0.0, < 1.2.5 (semver)`. */
  readonly constraint: string;
  /** Versions that fix it: the `fixed` ending each matching interval, lowest first. */
  readonly fixVersions: readonly string[];
  /** Ranges that could not be evaluated (a version no order reads), one line each. */
  readonly warnings: readonly string[];
}

interface Evaluated {
  readonly range: CompiledRange;
  readonly installed: unknown;
}

/** Compiles one range in the first order that reads both the installed version and every event. */
function compileFor(
  record: RangeRecord,
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT',
  events: RangeRecord['ranges'][number]['events'],
  version: string,
): Evaluated | string {
  const problems: string[] = [];
  for (const order of rangeOrders(type, record.ecosystem)) {
    try {
      const installed = order.parse(version);
      return { range: compileRange(events, order), installed };
    } catch (err) {
      if (!(err instanceof LarderError)) throw err;
      problems.push(err.message);
    }
  }
  return `${record.vulnerability} (${record.source}): ${type} range skipped for ${record.package}@${version}: ${problems.join('; ')}`;
}

function sortVersions(order: AnyVersionOrder, versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort(
    (a, b) => order.compare(order.parse(a), order.parse(b)) || (a < b ? -1 : 1),
  );
}

/** True when the explicit list names `version`, equal in the ecosystem's order or as text. */
function listedVersion(record: RangeRecord, version: string): string | undefined {
  const order = ecosystemOrder(record.ecosystem);
  const installed = tryParse(order, version);
  for (const listed of record.versions) {
    if (listed === version) return listed;
    if (installed === undefined) continue;
    const key = tryParse(order, listed);
    if (key !== undefined && order.compare(installed, key) === 0) return listed;
  }
  return undefined;
}

/** Evaluates `record` for the installed `version` (OSV semantics; see osv-range.ts). */
export function evaluateRangeRecord(record: RangeRecord, version: string): RangeVerdict {
  const warnings: string[] = [];
  const evaluated: Evaluated[] = [];
  for (const range of record.ranges) {
    if (range.type === 'GIT') continue;
    const result = compileFor(record, range.type, range.events, version);
    if (typeof result === 'string') warnings.push(result);
    else evaluated.push(result);
  }
  const matched: { e: Evaluated; interval: OsvInterval }[] = [];
  for (const e of evaluated) {
    const interval = findInterval(e.range, e.installed);
    if (interval !== undefined) matched.push({ e, interval });
  }
  const describe = (e: Evaluated): string =>
    formatRange(
      e.range.intervals.map((i) => i.interval),
      e.range.limitTexts,
      e.range.order.name,
    );
  if (matched.length > 0) {
    const order = matched[0]!.e.range.order;
    const fixes = matched.flatMap(({ e, interval }) =>
      interval.upper !== undefined && !interval.upperInclusive && e.range.order === order
        ? [interval.upper]
        : [],
    );
    return {
      affected: true,
      kind: 'osv-range',
      constraint: [...new Set(matched.map(({ e }) => describe(e)))].join(' || '),
      fixVersions: sortVersions(order, fixes),
      warnings,
    };
  }
  const listed = listedVersion(record, version);
  if (listed !== undefined) {
    // Fixes named by the ranges above the installed version still tell the user where to go.
    const fixes: string[] = [];
    let order: AnyVersionOrder | undefined;
    for (const e of evaluated) {
      order ??= e.range.order;
      if (e.range.order !== order) continue;
      for (const { interval, upper } of e.range.intervals) {
        if (interval.upper === undefined || interval.upperInclusive) continue;
        if (order.compare(e.installed, upper) < 0) fixes.push(interval.upper);
      }
    }
    return {
      affected: true,
      kind: 'osv-version',
      constraint: `= ${listed} (${ecosystemOrder(record.ecosystem).name}, listed version)`,
      fixVersions: order === undefined ? [] : sortVersions(order, fixes),
      warnings,
    };
  }
  return {
    affected: false,
    kind: 'osv-range',
    constraint: evaluated.map(describe).join(' || '),
    fixVersions: [],
    warnings,
  };
}
