// One distro's word on one (origin, vulnerability group): the deciding record, and what it means
// for an installed version.
//
// The newest statement wins: records with a timestamp (advisory events) by timestamp; a record
// without one (secdb entries) ranks below every timestamped record, since secdb is exported
// from advisories and may lag them. Between records of equal standing the precedence is
// not-affected (a secdb "0" is a NAK), then fixed (the highest fixed version, so that any
// record saying the installed version is older than a fix keeps the finding, as grype does),
// then fix-not-planned, pending-upstream-fix, affected, under-investigation,
// analysis-not-planned; then source and id, for a stable choice.

import type { DistroRecord, FixState } from '../model.js';
import { apkOrder, tryParse } from '../versions/index.js';

const STATE_RANK: Readonly<Record<DistroRecord['state'], number>> = {
  'not-affected': 0,
  fixed: 1,
  'fix-not-planned': 2,
  'pending-upstream-fix': 3,
  affected: 4,
  'under-investigation': 5,
  'analysis-not-planned': 6,
};

function timeOf(record: DistroRecord): number | undefined {
  if (record.timestamp === undefined) return undefined;
  const t = Date.parse(record.timestamp);
  return Number.isNaN(t) ? undefined : t;
}

/** Negative when `a` should decide rather than `b`. */
function precedence(a: DistroRecord, b: DistroRecord): number {
  const ta = timeOf(a);
  const tb = timeOf(b);
  if (ta !== tb) {
    if (ta === undefined) return 1;
    if (tb === undefined) return -1;
    return tb - ta;
  }
  const rank = STATE_RANK[a.state] - STATE_RANK[b.state];
  if (rank !== 0) return rank;
  if (a.state === 'fixed' && a.fixedVersion !== undefined && b.fixedVersion !== undefined) {
    const fa = tryParse(apkOrder, a.fixedVersion);
    const fb = tryParse(apkOrder, b.fixedVersion);
    if (fa !== undefined && fb !== undefined) {
      const c = apkOrder.compare(fb, fa);
      if (c !== 0) return c;
    }
  }
  return a.source < b.source ? -1 : a.source > b.source ? 1 : a.vulnerability < b.vulnerability ? -1 : 1;
}

/** A group's records in decision order: the first decides. */
export function inDecisionOrder(group: readonly DistroRecord[]): DistroRecord[] {
  return [...group].sort(precedence);
}

/** What a record means for an installed version. */
export type DistroVerdict =
  | {
      readonly kind: 'vulnerable';
      readonly fix: { readonly state: FixState; readonly versions: string[] };
      readonly constraint: string;
    }
  | { readonly kind: 'fixed'; readonly detail: string }
  | { readonly kind: 'not-affected'; readonly detail: string }
  | { readonly kind: 'invalid'; readonly warning: string };

const UNFIXED: Readonly<Record<Exclude<DistroRecord['state'], 'fixed' | 'not-affected'>, FixState>> = {
  affected: 'not-fixed',
  'under-investigation': 'not-fixed',
  'pending-upstream-fix': 'not-fixed',
  'fix-not-planned': 'wont-fix',
  'analysis-not-planned': 'unknown',
};

/** The namespace as people say it: `wolfi`, `alpine:3.18`, or `distro` for ''. */
function label(record: DistroRecord): string {
  return record.distro === '' ? 'distro' : record.distro;
}

/** Applies `record` to the installed APK version (apk order). */
export function distroVerdict(record: DistroRecord, installed: string): DistroVerdict {
  switch (record.state) {
    case 'not-affected':
      return {
        kind: 'not-affected',
        detail: `${label(record)} ${record.vulnerability}: not affected${record.reason === undefined ? '' : ` (${record.reason})`}`,
      };
    case 'fixed': {
      const fixed = record.fixedVersion === undefined ? undefined : tryParse(apkOrder, record.fixedVersion);
      const have = tryParse(apkOrder, installed);
      if (fixed === undefined || have === undefined) {
        const bad =
          fixed === undefined
            ? `fixed version '${record.fixedVersion ?? ''}'`
            : `installed version '${installed}'`;
        return {
          kind: 'invalid',
          warning: `${record.vulnerability} (${record.source}): ${record.package}: ${bad} is not an apk version; record skipped`,
        };
      }
      if (apkOrder.compare(have, fixed) < 0) {
        return {
          kind: 'vulnerable',
          fix: { state: 'fixed', versions: [fixed] },
          constraint: `< ${fixed} (apk)`,
        };
      }
      return { kind: 'fixed', detail: `${label(record)} ${record.vulnerability}: fixed in ${fixed}` };
    }
    default:
      return {
        kind: 'vulnerable',
        fix: { state: UNFIXED[record.state], versions: [] },
        constraint: `any version (apk): ${record.state}`,
      };
  }
}
