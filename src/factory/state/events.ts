import type { Store } from '../../store/index.js';
import type { FactoryEvent } from '../model.js';
import { storedObject } from './stored-json.js';

/** An event as recorded: its id orders the log (newer events have larger ids). */
export interface RecordedEvent extends FactoryEvent {
  readonly id: number;
}

/** Appends an event to the audit log; returns its id. */
export async function appendEvent(store: Store, event: FactoryEvent): Promise<number> {
  return store.write(async (db) => {
    const row = await db
      .insertInto('factory_events')
      .values({
        at: event.at,
        kind: event.kind,
        subject: event.subject,
        message: event.message,
        details: event.details === undefined ? null : JSON.stringify(event.details),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  });
}

/** A page of the log: newest first, before the id cursor, within [since, until), one subject or kind. */
export interface EventPage {
  /** Only events older than this id (the last id of the previous page). */
  readonly before?: number;
  /** ISO time: only events at or after it. */
  readonly since?: string;
  /** ISO time: only events before it. */
  readonly until?: string;
  readonly subject?: string;
  readonly kind?: string;
  /** Default 50. */
  readonly limit?: number;
}

/** Reads a page of the audit log, newest first. */
export async function listEvents(store: Store, page: EventPage = {}): Promise<RecordedEvent[]> {
  const rows = await store.db
    .selectFrom('factory_events')
    .selectAll()
    .$if(page.before !== undefined, (q) => q.where('id', '<', page.before as number))
    .$if(page.since !== undefined, (q) => q.where('at', '>=', page.since as string))
    .$if(page.until !== undefined, (q) => q.where('at', '<', page.until as string))
    .$if(page.subject !== undefined, (q) => q.where('subject', '=', page.subject as string))
    .$if(page.kind !== undefined, (q) => q.where('kind', '=', page.kind as string))
    .orderBy('id', 'desc')
    .limit(page.limit ?? 50)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    kind: r.kind,
    subject: r.subject,
    message: r.message,
    ...(r.details === null
      ? {}
      : { details: storedObject('factory_events', `id ${r.id}`, 'details', r.details) }),
  }));
}
