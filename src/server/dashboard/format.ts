import { html } from 'hono/html';

/** What the html tag returns (sync for our templates; hono also accepts a promise). */
export type Html = ReturnType<typeof html>;

/** `sha256:<hex>` → its first 12 hex digits (how the CLI shows digests). */
export function shortDigest(digest: string): string {
  const at = digest.indexOf(':');
  return (at < 0 ? digest : digest.slice(at + 1)).slice(0, 12);
}

/** An ISO time as `2026-01-01 00:05 UTC` inside a `<time>` element; `—` when absent. */
export function time(iso: string | undefined): Html {
  if (iso === undefined || iso === '') return html`<span class="muted">—</span>`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return html`${iso}`;
  const shown = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return html`<time datetime="${iso}">${shown}</time>`;
}

/** A duration in ms, two units at most: `3d 4h`, `2h 5m`, `5m`, `30s`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first < 0) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}

export const imagePath = (name: string): string => `/images/${encodeURIComponent(name)}`;
export const packagePath = (name: string): string => `/packages/${encodeURIComponent(name)}`;
export const buildPath = (key: string): string => `/builds/${encodeURIComponent(key)}`;

/** A yes/no cell. */
export function yesNo(value: boolean): Html {
  return value ? html`<span class="badge ok">yes</span>` : html`<span class="badge muted">no</span>`;
}

/** A job or build status as a coloured badge. */
export function statusBadge(status: string): Html {
  const tone =
    status === 'succeeded' || status === 'ok'
      ? 'ok'
      : status === 'failed' || status === 'blocked' || status === 'open'
        ? 'bad'
        : status === 'running' || status === 'exposed-awaiting-fix' || status === 'awaiting-fix'
          ? 'warn'
          : 'muted';
  return html`<span class="badge ${tone}">${status}</span>`;
}

/** A table, or a quiet line when there are no rows. */
export function table(headers: readonly string[], rows: readonly Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table>
    <thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}
