/**
 * Checking an event made in code (by `advisory add`) with the same schema a file's events pass:
 * the event is spelled as YAML data, validated, and read back in its canonical form.
 */
import { formatPath, type PathSegment } from './issues.js';
import type { AdvisoryEvent } from './model.js';
import type { Plain } from './plain-yaml.js';
import { eventSchema } from './schema.js';

/** The event as it reads back from a file, or why it cannot be written. */
export function normalizeAdvisoryEvent(event: AdvisoryEvent): { event?: AdvisoryEvent; problems: string[] } {
  const parsed = eventSchema.safeParse(eventToPlain(event));
  if (parsed.success) return { event: parsed.data, problems: [] };
  const problems = parsed.error.issues.map((issue) => {
    const path = formatPath(issue.path.filter((s): s is PathSegment => typeof s !== 'symbol'));
    const message =
      issue.code === 'invalid_value'
        ? `unknown value (expected one of: ${issue.values.map(String).join(', ')})`
        : issue.code === 'invalid_type' || issue.code === 'invalid_union'
          ? `missing or not ${issue.code === 'invalid_type' ? `a ${issue.expected}` : 'a known type'}`
          : issue.message;
    return path === '' ? message : `${path}: ${message}`;
  });
  return { problems };
}

/** Problems of an event (empty when it can be written). */
export function checkAdvisoryEvent(event: AdvisoryEvent): string[] {
  return normalizeAdvisoryEvent(event).problems;
}

/** The event in the file's spelling (`fixed-version`); an empty true-positive `data` is left out. */
export function eventToPlain(event: AdvisoryEvent): Plain {
  const base = { timestamp: event.timestamp, type: event.type };
  switch (event.type) {
    case 'fixed':
      return { ...base, data: { 'fixed-version': event.data.fixedVersion } };
    case 'true-positive-determination':
      return event.data?.note === undefined ? base : { ...base, data: { note: event.data.note } };
    case 'false-positive-determination':
      return {
        ...base,
        data:
          event.data.note === undefined
            ? { type: event.data.type }
            : { type: event.data.type, note: event.data.note },
      };
    case 'detection': {
      const d = event.data;
      if (d.type === 'manual') return { ...base, data: { type: d.type } };
      return { ...base, data: { type: d.type, data: { ...d.data } } };
    }
    case 'pending-upstream-fix':
    case 'fix-not-planned':
    case 'analysis-not-planned':
      return { ...base, data: { note: event.data.note } };
  }
}
