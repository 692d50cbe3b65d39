import { html } from 'hono/html';
import { type FactoryService, listEvents, type RecordedEvent } from '../../factory/index.js';
import { type Html, table } from './format.js';
import { eventRow } from './overview-page.js';

const PAGE_SIZE = 50;

/** The timeline's query: a page before an event id, optionally one kind or subject. */
export interface EventQuery {
  readonly before?: number;
  readonly kind?: string;
  readonly subject?: string;
}

/** Reads `?before=&kind=&subject=`; a `before` that is not a positive integer is ignored. */
export function eventQueryOf(query: (name: string) => string | undefined): EventQuery {
  const before = query('before');
  const kind = query('kind');
  const subject = query('subject');
  return {
    ...(before !== undefined && /^[1-9][0-9]{0,15}$/.test(before) ? { before: Number(before) } : {}),
    ...(kind === undefined || kind === '' ? {} : { kind }),
    ...(subject === undefined || subject === '' ? {} : { subject }),
  };
}

export interface EventsData {
  readonly query: EventQuery;
  readonly events: readonly RecordedEvent[];
  /** The cursor of the next (older) page when there is one. */
  readonly older?: number;
}

export async function loadEvents(service: FactoryService, query: EventQuery): Promise<EventsData> {
  const rows = await listEvents(service.store, { ...query, limit: PAGE_SIZE + 1 });
  const events = rows.slice(0, PAGE_SIZE);
  const last = events.at(-1);
  return { query, events, ...(rows.length > PAGE_SIZE && last !== undefined ? { older: last.id } : {}) };
}

function pageLink(q: EventQuery, before: number | undefined): string {
  const params = new URLSearchParams();
  if (before !== undefined) params.set('before', String(before));
  if (q.kind !== undefined) params.set('kind', q.kind);
  if (q.subject !== undefined) params.set('subject', q.subject);
  const s = params.toString();
  return s === '' ? '/events' : `/events?${s}`;
}

export function eventsContent(d: EventsData): Html {
  const q = d.query;
  return html`<h1>Events</h1>
  <form method="get" action="/events" class="filters">
    <label>Kind <input name="kind" value="${q.kind ?? ''}" placeholder="image-published"></label>
    <label>Subject <input name="subject" value="${q.subject ?? ''}" placeholder="image:web"></label>
    <button type="submit">Filter</button>
  </form>
  <section class="card">${table(['At', 'Kind', 'Subject', 'Message'], d.events.map(eventRow), 'No events.')}</section>
  <p>${q.before === undefined ? '' : html`<a href="${pageLink(q, undefined)}">Newest</a> · `}${d.older === undefined ? html`<span class="muted">No older events</span>` : html`<a href="${pageLink(q, d.older)}" rel="next">Older events</a>`}</p>`;
}
