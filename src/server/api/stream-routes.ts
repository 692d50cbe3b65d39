/**
 * Logs and the audit log, read whole or followed. `GET /jobs/:key/log` answers JSON lines
 * (application/x-ndjson); `/jobs/:key/log/stream` sends the existing lines then new ones as SSE
 * (`event: line`, id = seq) and ends with `event: end` once the job is done. `/events/stream`
 * sends the events after `?after=` (or `Last-Event-ID`), then each new one (`event: event`, id =
 * event id), with a comment line as keep-alive.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { FactoryService } from '../../factory/index.js';
import { listEvents, type RecordedEvent } from '../../factory/index.js';
import type { Store } from '../../store/index.js';
import { HttpError, notFound, parseQuery } from '../http/errors.js';
import { EventsQuery, LogQuery, StreamQuery } from './schemas.js';

export interface StreamOptions {
  /** How often a log stream asks for new lines (ms, default 500). */
  readonly logPollMs?: number;
  /** Keep-alive comment interval of event streams (ms, default 15000). */
  readonly keepAliveMs?: number;
}

/** Events with an id above `after`, oldest first, at most `limit`. */
export async function eventsAfter(store: Store, after: number, limit: number): Promise<RecordedEvent[]> {
  const newer: RecordedEvent[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await listEvents(store, { limit: 500, ...(before === undefined ? {} : { before }) });
    for (const e of page) {
      if (e.id <= after) return newer.reverse().slice(0, limit);
      newer.push(e);
    }
    if (page.length < 500) return newer.reverse().slice(0, limit);
    before = (page.at(-1) as RecordedEvent).id;
  }
}

/** `?after=` or else the Last-Event-ID header a reconnecting EventSource sends. */
function resumeFrom(query: string | undefined, lastEventId: string | undefined): number {
  if (query !== undefined) return Number(query);
  if (lastEventId === undefined) return 0;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(lastEventId))
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'header Last-Event-ID: not a whole number',
      'header.Last-Event-ID',
    );
  return Number(lastEventId);
}

export function streamRoutes(service: FactoryService, options: StreamOptions = {}): Hono {
  const app = new Hono();
  const pollMs = options.logPollMs ?? 500;
  const keepAliveMs = options.keepAliveMs ?? 15_000;

  const jobOrThrow = async (key: string) => {
    const job = await service.queue.get(key);
    if (job === undefined) throw notFound(`job ${key}`);
    return job;
  };

  app.get('/jobs/:key/log', async (c) => {
    const q = parseQuery(c, LogQuery);
    const key = c.req.param('key');
    await jobOrThrow(key);
    const lines = await service.jobLog(key, Number(q.after ?? 0));
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    return c.body(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  });

  app.get('/jobs/:key/log/stream', async (c) => {
    const q = parseQuery(c, StreamQuery);
    const key = c.req.param('key');
    await jobOrThrow(key);
    let seq = resumeFrom(q.after, c.req.header('last-event-id'));
    return streamSSE(c, async (stream) => {
      while (!stream.aborted) {
        // Read the status before the lines: lines logged before the job ended are then all sent.
        const done = (await jobOrThrow(key)).status;
        for (const l of await service.jobLog(key, seq)) {
          await stream.writeSSE({ event: 'line', id: String(l.seq), data: JSON.stringify(l) });
          seq = l.seq;
        }
        if (done === 'succeeded' || done === 'failed') {
          await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: done }) });
          return;
        }
        await stream.sleep(pollMs);
      }
    });
  });

  app.get('/events', async (c) => {
    const q = parseQuery(c, EventsQuery);
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (q.after !== undefined && q.before !== undefined)
      throw new HttpError(
        400,
        'BAD_REQUEST',
        'query.after: not with query.before (one direction)',
        'query.after',
      );
    const events =
      q.after !== undefined
        ? await eventsAfter(service.store, Number(q.after), limit)
        : await listEvents(service.store, {
            limit,
            ...(q.before === undefined ? {} : { before: Number(q.before) }),
          });
    return c.json({ events });
  });

  app.get('/events/stream', async (c) => {
    const q = parseQuery(c, StreamQuery);
    let last = resumeFrom(q.after, c.req.header('last-event-id'));
    return streamSSE(c, async (stream) => {
      const pending: RecordedEvent[] = [];
      let wakeUp: (() => void) | undefined;
      const off = service.onEvent((e) => {
        pending.push(e);
        wakeUp?.();
      });
      stream.onAbort(() => {
        off();
        wakeUp?.();
      });
      try {
        // Subscribed first, so nothing appended meanwhile is missed; ids dedupe the overlap.
        if (last > 0 || q.after !== undefined)
          pending.unshift(...(await eventsAfter(service.store, last, 10_000)));
        while (!stream.aborted) {
          for (const e of pending.splice(0).sort((a, b) => a.id - b.id)) {
            if (e.id <= last) continue;
            await stream.writeSSE({ event: 'event', id: String(e.id), data: JSON.stringify(e) });
            last = e.id;
          }
          const woke = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), keepAliveMs);
            wakeUp = () => {
              clearTimeout(timer);
              resolve(true);
            };
            if (pending.length > 0 || stream.aborted) wakeUp();
          });
          wakeUp = undefined;
          if (!woke && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        off();
      }
    });
  });
  return app;
}
