// One OSV range (https://ossf.github.io/osv-schema/#affectedranges-field) evaluated in one
// version order. Events are sorted by version (`introduced: "0"` first); each `introduced`
// opens an interval that the next `fixed` (exclusive) or `last_affected` (inclusive) closes; an
// interval still open at the end has no upper bound. This is the schema's state machine ("the
// latest event at or below the version decides") written as intervals, so the interval that
// holds a version also names its fix. `limit` events cap the whole range (exclusive; `*` = none).
import type { RangeEvent } from '../model.js';
import type { AnyVersionOrder, VersionOrderName } from './version-order.js';

/** A closed-open (or closed) stretch of affected versions; bounds as the record spells them. */
export interface OsvInterval {
  /** Undefined for `introduced: "0"`. */
  readonly lower?: string;
  /** Undefined when nothing closes the interval. */
  readonly upper?: string;
  /** True when `upper` came from `last_affected`. */
  readonly upperInclusive: boolean;
}

/** A range's events sorted and grouped into intervals, in one order. */
export interface CompiledRange {
  readonly order: AnyVersionOrder;
  readonly intervals: readonly {
    readonly interval: OsvInterval;
    readonly lower?: unknown;
    readonly upper?: unknown;
  }[];
  readonly limits: readonly unknown[];
  readonly limitTexts: readonly string[];
}

type EventKind = 'introduced' | 'lastAffected' | 'fixed' | 'limit';
// At equal versions: open before closing, so `introduced X, fixed X` is an empty interval.
const TIE_RANK: Readonly<Record<EventKind, number>> = { introduced: 0, lastAffected: 1, fixed: 2, limit: 3 };

interface SortableEvent {
  readonly kind: EventKind;
  readonly text: string;
  /** Parsed version; undefined for `introduced: "0"` (lowest) and `limit: "*"` (highest). */
  readonly key: unknown;
  readonly unbounded: boolean;
}

/** Parses and sorts `events` in `order`. Throws VERSION_INVALID for an event version it cannot read. */
export function compileRange(events: readonly RangeEvent[], order: AnyVersionOrder): CompiledRange {
  const flat: SortableEvent[] = [];
  for (const event of events) {
    for (const kind of ['introduced', 'lastAffected', 'fixed', 'limit'] as const) {
      const text = event[kind];
      if (text === undefined) continue;
      const unbounded = (kind === 'introduced' && text === '0') || (kind === 'limit' && text === '*');
      flat.push({ kind, text, key: unbounded ? undefined : order.parse(text), unbounded });
    }
  }
  const place = (e: SortableEvent): number => (e.unbounded ? (e.kind === 'introduced' ? -1 : 1) : 0);
  flat.sort((a, b) => {
    const pa = place(a);
    const pb = place(b);
    if (pa !== 0 || pb !== 0) return pa - pb || TIE_RANK[a.kind] - TIE_RANK[b.kind];
    return order.compare(a.key, b.key) || TIE_RANK[a.kind] - TIE_RANK[b.kind];
  });
  const intervals: { interval: OsvInterval; lower?: unknown; upper?: unknown }[] = [];
  let open: SortableEvent | undefined;
  let isOpen = false;
  const limits: unknown[] = [];
  const limitTexts: string[] = [];
  for (const event of flat) {
    if (event.kind === 'limit') {
      limitTexts.push(event.text);
      if (!event.unbounded) limits.push(event.key);
      else limits.push(undefined);
    } else if (event.kind === 'introduced') {
      if (!isOpen) {
        open = event.unbounded ? undefined : event;
        isOpen = true;
      }
    } else if (isOpen) {
      const upperInclusive = event.kind === 'lastAffected';
      const interval: OsvInterval =
        open === undefined
          ? { upper: event.text, upperInclusive }
          : { lower: open.text, upper: event.text, upperInclusive };
      intervals.push(
        open === undefined ? { interval, upper: event.key } : { interval, lower: open.key, upper: event.key },
      );
      isOpen = false;
      open = undefined;
    }
  }
  if (isOpen) {
    const interval: OsvInterval =
      open === undefined ? { upperInclusive: false } : { lower: open.text, upperInclusive: false };
    intervals.push(open === undefined ? { interval } : { interval, lower: open.key });
  }
  return { order, intervals, limits, limitTexts };
}

/** The interval of `range` that holds the parsed version `installed`, or undefined (not affected). */
export function findInterval(range: CompiledRange, installed: unknown): OsvInterval | undefined {
  const { order } = range;
  const against = (bound: unknown): unknown =>
    order.againstBound ? order.againstBound(installed, bound) : installed;
  if (range.limits.length > 0) {
    const below = range.limits.some(
      (limit) => limit === undefined || order.compare(against(limit), limit) < 0,
    );
    if (!below) return undefined;
  }
  for (const { interval, lower, upper } of range.intervals) {
    if (interval.lower !== undefined && order.compare(against(lower), lower) < 0) continue;
    if (interval.upper !== undefined) {
      const c = order.compare(against(upper), upper);
      if (interval.upperInclusive ? c > 0 : c >= 0) continue;
    }
    return interval;
  }
  return undefined;
}

/** `>= 1.0.0, < 1.2.5` for one interval (`>= 0` when it has no bound at all). */
export function formatInterval(interval: OsvInterval): string {
  const parts: string[] = [];
  if (interval.lower !== undefined) parts.push(`>= ${interval.lower}`);
  if (interval.upper !== undefined) parts.push(`${interval.upperInclusive ? '<=' : '<'} ${interval.upper}`);
  return parts.length === 0 ? '>= 0' : parts.join(', ');
}

/** A whole range as grype writes constraints: intervals joined by `||`, then `(order)`. */
export function formatRange(
  intervals: readonly OsvInterval[],
  limits: readonly string[],
  order: VersionOrderName,
): string {
  const body = intervals.length === 0 ? 'none' : intervals.map(formatInterval).join(' || ');
  const bounded = limits.filter((l) => l !== '*');
  const limit = bounded.length === 0 ? '' : ` (limit < ${bounded.join(' | ')})`;
  return `${body}${limit} (${order})`;
}
