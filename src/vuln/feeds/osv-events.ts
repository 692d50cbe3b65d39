import { z } from 'zod';
import type { RangeEvent } from '../model.js';

const EVENT_KEYS: Readonly<Record<string, keyof RangeEvent>> = {
  introduced: 'introduced',
  fixed: 'fixed',
  last_affected: 'lastAffected',
  limit: 'limit',
};

/**
 * One OSV range event: exactly one of `introduced`, `fixed`, `last_affected`, `limit`, holding a
 * non-empty string. Checked inside the zod schema so that its problems are reported together
 * with every other problem of the record.
 */
export const OSV_EVENT = z.record(z.string(), z.unknown()).superRefine((event, ctx) => {
  const keys = Object.keys(event);
  const unknown = keys.find((k) => !Object.hasOwn(EVENT_KEYS, k));
  if (unknown !== undefined) {
    ctx.addIssue({ code: 'custom', message: `unknown event key ${JSON.stringify(unknown)}` });
    return;
  }
  if (keys.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: 'an event holds exactly one of introduced, fixed, last_affected, limit',
    });
    return;
  }
  const value = event[keys[0]!];
  if (typeof value !== 'string' || value === '')
    ctx.addIssue({
      code: 'custom',
      path: [keys[0]!],
      message: `expected a non-empty string (found ${JSON.stringify(value) ?? 'nothing'})`,
    });
});

/** A checked OSV event as a model event. */
export function toRangeEvent(event: Readonly<Record<string, unknown>>): RangeEvent {
  const [key, value] = Object.entries(event)[0]!;
  return { [EVENT_KEYS[key]!]: String(value) };
}
