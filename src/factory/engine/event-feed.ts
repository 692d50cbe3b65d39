/**
 * The service's live events: listeners hear every event appended from now on, whether through
 * the service (delivered at once) or by another process sharing the store (workers append too),
 * which a poll of factory_events picks up. Each event is delivered once, in id order.
 */
import type { Store } from '../../store/index.js';
import type { FactoryEvent } from '../model.js';
import { appendEvent, type RecordedEvent } from '../state/index.js';

export interface EventFeed {
  /** Appends the event and delivers it (and any others appended before it). */
  emit(event: FactoryEvent): Promise<RecordedEvent>;
  subscribe(listener: (event: RecordedEvent) => void): () => void;
  /** Reads events appended since the last delivery and delivers them. */
  poll(): Promise<void>;
  close(): void;
}

/** Rows read per poll (a burst larger than this is delivered over several polls). */
const PAGE = 500;

function parseDetails(text: string | null): Record<string, unknown> | undefined {
  if (text === null) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function createEventFeed(
  store: Store,
  options: { readonly pollMs: number; readonly onError?: (error: unknown) => void },
): Promise<EventFeed> {
  const top = await store.db
    .selectFrom('factory_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  let lastId = top?.id === null || top?.id === undefined ? 0 : Number(top.id);
  const listeners = new Set<(event: RecordedEvent) => void>();
  let chain: Promise<void> = Promise.resolve();

  const deliver = (event: RecordedEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        options.onError?.(error);
      }
    }
  };

  const readNew = async (): Promise<void> => {
    for (;;) {
      const rows = await store.db
        .selectFrom('factory_events')
        .selectAll()
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(PAGE)
        .execute();
      for (const r of rows) {
        lastId = Math.max(lastId, Number(r.id));
        const details = parseDetails(r.details);
        deliver({
          id: Number(r.id),
          at: r.at,
          kind: r.kind,
          subject: r.subject,
          message: r.message,
          ...(details === undefined ? {} : { details }),
        });
      }
      if (rows.length < PAGE) return;
    }
  };

  /** Polls run one after another, so an event is never delivered twice. */
  const poll = (): Promise<void> => {
    chain = chain.then(readNew).catch((error) => options.onError?.(error));
    return chain;
  };

  const timer = options.pollMs > 0 ? setInterval(() => void poll(), options.pollMs) : undefined;
  timer?.unref?.();

  return {
    async emit(event) {
      const id = await appendEvent(store, event);
      await poll();
      return { ...event, id };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    poll,
    close() {
      if (timer !== undefined) clearInterval(timer);
      listeners.clear();
    },
  };
}
