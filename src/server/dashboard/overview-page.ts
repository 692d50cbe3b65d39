import { html } from 'hono/html';
import type { ExposureWindow, JobRecord, RecordedEvent } from '../../factory/index.js';
import {
  buildPath,
  duration,
  type Html,
  imagePath,
  shortDigest,
  statusBadge,
  table,
  time,
  yesNo,
} from './format.js';
import type { Overview, OverviewImage } from './overview-data.js';

function imageRow(i: OverviewImage): Html {
  const v = i.latest;
  return html`<tr>
    <td><a href="${imagePath(i.name)}">${i.name}</a>${i.problem === undefined ? '' : html`<div class="error">${i.problem}</div>`}</td>
    <td class="mono">${v === undefined ? '—' : shortDigest(v.indexDigest)}</td>
    <td>${time(v?.publishedAt)}</td>
    <td>${i.findings}</td>
    <td>${v === undefined ? '—' : yesNo(v.signed)} / ${v === undefined ? '—' : yesNo(v.attested)}</td>
    <td>${statusBadge(i.standing)}</td>
  </tr>`;
}

function windowRow(w: ExposureWindow): Html {
  return html`<tr>
    <td><a href="${imagePath(w.image)}">${w.image}</a></td>
    <td>${w.vulnId}${w.aliases.length > 0 ? html` <span class="muted">(${w.aliases.join(', ')})</span>` : ''}</td>
    <td>${w.packages.join(', ')}</td>
    <td>${time(w.firstSeen)}</td>
    ${w.open ? '' : html`<td>${time(w.resolvedAt)}</td>`}
    <td>${duration(w.durationMs)}</td>
  </tr>`;
}

/** A job as a row (used on the overview and the builds page). */
export function jobRow(j: JobRecord): Html {
  return html`<tr>
    <td class="mono"><a href="${buildPath(j.key)}">${j.key}</a></td>
    <td>${statusBadge(j.status)}</td>
    <td>${j.attempts}/${j.maxAttempts}</td>
    <td>${time(j.startedAt ?? j.createdAt)}</td>
    <td>${j.error === undefined ? '' : html`<span class="error">${j.error}</span>`}</td>
  </tr>`;
}

/** An event as a row (the overview's recent events and the timeline). */
export function eventRow(e: RecordedEvent): Html {
  return html`<tr>
    <td>${time(e.at)}</td>
    <td>${e.kind}</td>
    <td class="mono">${e.subject}</td>
    <td>${e.message}</td>
  </tr>`;
}

function reconcileSection(o: Overview): Html {
  const s = o.status;
  return html`<section class="card" id="reconcile">
    <h2>Last reconcile</h2>
    <p>${s.reconciledAt === undefined ? html`<span class="muted">not yet reconciled</span>` : time(s.reconciledAt)}
      · feed version <span class="mono">${s.feedVersion === '' ? '—' : s.feedVersion}</span></p>
    ${s.problems.length === 0 ? html`<p class="muted">No plan problems.</p>` : html`<ul class="error">${s.problems.map((p) => html`<li>${p}</li>`)}</ul>`}
    ${s.summary.length === 0 ? '' : html`<pre class="mono">${s.summary.join('\n')}</pre>`}
  </section>`;
}

/**
 * The overview's content, polled by htmx every `refreshSeconds` (`/fragments/overview` returns
 * this same element); without JS it is simply the page as loaded.
 */
export function overviewContent(o: Overview, refreshSeconds: number): Html {
  const q = o.queueCounts;
  return html`<div id="overview" hx-get="/fragments/overview" hx-trigger="every ${refreshSeconds}s" hx-swap="outerHTML">
  <div class="stats">
    <div class="stat"><b>${o.images.length}</b>images</div>
    <div class="stat"><b>${o.openFindings}</b>open findings</div>
    <div class="stat"><b>${o.openWindows.length}</b>open exposures</div>
    <div class="stat"><b>${q.pending}</b>pending · ${q.running} running · ${q.failed} failed</div>
  </div>
  <section class="card" id="images">
    <h2>Images</h2>
    ${table(['Image', 'Digest', 'Published', 'Findings', 'Signed / attested', 'Status'], o.images.map(imageRow), 'No images yet.')}
  </section>
  <section class="card" id="exposures">
    <h2>Open exposure windows</h2>
    ${table(['Image', 'Vulnerability', 'Packages', 'First seen', 'Open for'], o.openWindows.map(windowRow), 'No image is exposed.')}
    <h2>Recently closed</h2>
    ${table(['Image', 'Vulnerability', 'Packages', 'First seen', 'Fixed', 'Exposed for'], o.closedWindows.map(windowRow), 'None closed yet.')}
  </section>
  <section class="card" id="queue">
    <h2>Queue</h2>
    ${table(['Job', 'Status', 'Attempts', 'Since', 'Error'], o.jobs.map(jobRow), 'The queue is empty.')}
  </section>
  ${reconcileSection(o)}
  <section class="card" id="events">
    <h2>Recent events</h2>
    ${table(['At', 'Kind', 'Subject', 'Message'], o.events.map(eventRow), 'No events yet.')}
    <p><a href="/events">All events</a></p>
  </section>
</div>`;
}
