import { html } from 'hono/html';
import {
  type BuildRecord,
  type FactoryService,
  type JobLogLine,
  type JobRecord,
  listBuilds,
} from '../../factory/index.js';
import { buildPath, type Html, statusBadge, table, time } from './format.js';

/** A job's page: its queue record and/or build record, and its log so far. */
export interface BuildPageData {
  readonly key: string;
  readonly job?: JobRecord;
  readonly build?: BuildRecord;
  readonly log: readonly JobLogLine[];
}

/** `build:<recipe>@…` → the recipe, to narrow the build records read. */
const recipeOf = (key: string): string | undefined => /^build:([^@]+)@/.exec(key)?.[1];

/** A job's queue and build records (no log); undefined when neither exists. */
export async function loadJobState(
  service: FactoryService,
  key: string,
): Promise<{ readonly job?: JobRecord; readonly build?: BuildRecord } | undefined> {
  const recipe = recipeOf(key);
  const [job, builds] = await Promise.all([
    service.queue.get(key),
    recipe === undefined ? Promise.resolve([]) : listBuilds(service.store, { recipe }),
  ]);
  const build = builds.find((b) => b.key === key);
  if (job === undefined && build === undefined) return undefined;
  return { ...(job === undefined ? {} : { job }), ...(build === undefined ? {} : { build }) };
}

export async function loadBuildPage(
  service: FactoryService,
  key: string,
): Promise<BuildPageData | undefined> {
  const [state, log] = await Promise.all([loadJobState(service, key), service.jobLog(key, 0)]);
  return state === undefined ? undefined : { key, ...state, log };
}

/** Whether the log may still grow (the job waits or runs). */
export const isLive = (d: { readonly job?: JobRecord; readonly build?: BuildRecord }): boolean =>
  d.job !== undefined
    ? d.job.status === 'pending' || d.job.status === 'running'
    : d.build?.status === 'running';

const logFragmentPath = (key: string, after: number): string =>
  `/fragments/jobs/${encodeURIComponent(key)}/log?after=${after}`;

/**
 * The element htmx polls for more log lines: the response appends lines to `#log` out of band
 * and replaces this element with one asking from the new last line (none once the job ended).
 */
export function logPoller(key: string, after: number, live: boolean, seconds: number): Html {
  if (!live) return html`<div id="log-poller"></div>`;
  return html`<div id="log-poller" hx-get="${logFragmentPath(key, after)}" hx-trigger="every ${seconds}s" hx-swap="outerHTML"><span class="muted">running: the log follows live</span></div>`;
}

const logLines = (lines: readonly JobLogLine[]): string => lines.map((l) => `${l.line}\n`).join('');

/** The fragment answer: new lines (appended to `#log` out of band), the job's status, the next poller. */
export function logFragment(
  key: string,
  after: number,
  lines: readonly JobLogLine[],
  live: boolean,
  status: string,
  seconds: number,
): Html {
  const last = lines.at(-1)?.seq ?? after;
  return html`${lines.length === 0 ? '' : html`<div hx-swap-oob="beforeend:#log">${logLines(lines)}</div><p id="log-empty" hx-swap-oob="delete"></p>`}<span id="job-status" hx-swap-oob="true">${statusBadge(status)}</span>${logPoller(key, last, live, seconds)}`;
}

export function buildContent(d: BuildPageData, seconds: number): Html {
  const status = d.job?.status ?? d.build?.status ?? 'unknown';
  const error = d.job?.error ?? d.build?.error;
  const b = d.build;
  const last = d.log.at(-1)?.seq ?? 0;
  return html`<h1 class="mono">${d.key}</h1>
  <section class="card">
    <p>Status: <span id="job-status">${statusBadge(status)}</span>
      ${d.job === undefined ? '' : html` · attempt ${d.job.attempts} of ${d.job.maxAttempts}`}
      ${d.job?.worker === undefined ? '' : html` · worker ${d.job.worker}`}</p>
    ${b === undefined ? '' : html`<p>Recipe ${b.recipe} ${b.version} for ${b.arch} · started ${time(b.startedAt)} · finished ${time(b.finishedAt)}</p>`}
    ${d.job === undefined || b !== undefined ? '' : html`<p>Created ${time(d.job.createdAt)} · started ${time(d.job.startedAt)} · finished ${time(d.job.finishedAt)}</p>`}
    ${error === undefined ? '' : html`<p class="notice bad">${error}</p>`}
  </section>
  <h2>Log</h2>
  <pre class="log" id="log">
${logLines(d.log)}</pre>
  ${d.log.length === 0 ? html`<p class="muted" id="log-empty">No log lines yet.</p>` : ''}
  ${logPoller(d.key, last, isLive(d), seconds)}`;
}

export async function loadBuildList(service: FactoryService): Promise<BuildRecord[]> {
  return listBuilds(service.store, { limit: 100 });
}

export function buildListContent(builds: readonly BuildRecord[]): Html {
  const rows = builds.map(
    (b) => html`<tr>
      <td class="mono"><a href="${buildPath(b.key)}">${b.key}</a></td>
      <td>${statusBadge(b.status)}</td>
      <td>${time(b.startedAt)}</td>
      <td>${time(b.finishedAt)}</td>
      <td>${b.error === undefined ? '' : html`<span class="error">${b.error}</span>`}</td>
    </tr>`,
  );
  return html`<h1>Builds</h1>
  <section class="card">${table(['Build', 'Status', 'Started', 'Finished', 'Error'], rows, 'No builds yet.')}</section>`;
}
