/**
 * What an advisory says now: its latest event by timestamp (events can be out of order in real
 * files; ties go to the event listed later), and the model's DistroRecords made from that.
 */
import type { DistroRecord } from '../model.js';
import type { Advisory, AdvisoryDocument, AdvisoryEvent } from './model.js';
import { normalizeTimestamp, timestampMillis } from './time.js';

/** The events in time order; events with equal timestamps keep their file order. */
export function sortedAdvisoryEvents(advisory: Advisory): AdvisoryEvent[] {
  return advisory.events
    .map((event, index) => ({ event, index, at: timestampMillis(event.timestamp) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map((e) => e.event);
}

/**
 * The event that decides the advisory's state: the one with the greatest timestamp, the
 * later-listed one on a tie. Throws for an advisory with no events (a parsed one has some).
 */
export function latestEvent(advisory: Advisory): AdvisoryEvent {
  let latest: AdvisoryEvent | undefined;
  let latestAt = Number.NEGATIVE_INFINITY;
  for (const event of advisory.events) {
    const at = timestampMillis(event.timestamp);
    if (at >= latestAt) {
      latest = event;
      latestAt = at;
    }
  }
  if (latest === undefined) throw new Error(`advisory ${advisory.id} has no events`);
  return latest;
}

/** The model state an event leaves an advisory in. */
export function advisoryEventState(event: AdvisoryEvent): DistroRecord['state'] {
  switch (event.type) {
    case 'fixed':
      return 'fixed';
    case 'false-positive-determination':
      return 'not-affected';
    case 'detection':
    case 'true-positive-determination':
      return 'affected';
    case 'pending-upstream-fix':
    case 'fix-not-planned':
    case 'analysis-not-planned':
      return event.type;
  }
}

/** Options of `advisoryDistroRecords`. */
export interface AdvisoryRecordOptions {
  /** Namespace of the records (`wolfi`, `chainguard`...); '' (the default) applies to any distribution. */
  readonly distro?: string;
}

/**
 * One DistroRecord per advisory, from its latest event: `fixed` with the fixed version,
 * `not-affected` with the false-positive type as reason, `affected` for a detection or a
 * true-positive determination, and the pending / not-planned states as they are.
 */
export function advisoryDistroRecords(
  docs: readonly AdvisoryDocument[],
  options: AdvisoryRecordOptions = {},
): DistroRecord[] {
  const distro = options.distro ?? '';
  const out: DistroRecord[] = [];
  for (const doc of docs) {
    for (const advisory of doc.advisories) {
      const latest = latestEvent(advisory);
      const base = {
        distro,
        package: doc.package.name,
        vulnerability: advisory.id,
        aliases: advisory.aliases,
        state: advisoryEventState(latest),
        timestamp: normalizeTimestamp(latest.timestamp),
        source: doc.file,
      };
      if (latest.type === 'fixed') out.push({ ...base, fixedVersion: latest.data.fixedVersion });
      else if (latest.type === 'false-positive-determination')
        out.push({ ...base, reason: latest.data.type });
      else out.push(base);
    }
  }
  return out;
}
