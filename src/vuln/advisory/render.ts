/**
 * Advisory content as YAML text in Wolfi's layout (two-space indents, indented sequences, keys
 * in wolfictl's struct order), for inserting into a file without touching the rest of it.
 */
import { parse } from 'yaml';
import type { Advisory, AdvisoryEvent } from './model.js';

/** A line of a block: its depth (in indentation steps of two spaces) and its text. */
export interface BlockLine {
  readonly depth: number;
  readonly text: string;
}

/** The event's mapping: `timestamp`, `type`, then `data` when there is any. */
export function eventLines(event: AdvisoryEvent): BlockLine[] {
  const lines: BlockLine[] = [
    { depth: 0, text: `timestamp: ${scalar(event.timestamp)}` },
    { depth: 0, text: `type: ${scalar(event.type)}` },
  ];
  const data = eventData(event);
  if (data.length > 0)
    lines.push({ depth: 0, text: 'data:' }, ...data.map((l) => ({ ...l, depth: l.depth + 1 })));
  return lines;
}

function eventData(event: AdvisoryEvent): BlockLine[] {
  switch (event.type) {
    case 'fixed':
      return [line(0, 'fixed-version', event.data.fixedVersion)];
    case 'false-positive-determination':
      return [line(0, 'type', event.data.type), ...noteLine(event.data.note)];
    case 'true-positive-determination':
      return noteLine(event.data?.note);
    case 'pending-upstream-fix':
    case 'fix-not-planned':
    case 'analysis-not-planned':
      return [line(0, 'note', event.data.note)];
    case 'detection': {
      const d = event.data;
      const head = line(0, 'type', d.type);
      if (d.type === 'manual') return [head];
      const fields: [string, string][] =
        d.type === 'nvdapi'
          ? [
              ['cpeSearched', d.data.cpeSearched],
              ['cpeFound', d.data.cpeFound],
            ]
          : [
              ['subpackageName', d.data.subpackageName],
              ['componentID', d.data.componentID],
              ['componentName', d.data.componentName],
              ['componentVersion', d.data.componentVersion],
              ['componentType', d.data.componentType],
              ['componentLocation', d.data.componentLocation],
              ['scanner', d.data.scanner],
            ];
      return [head, { depth: 0, text: 'data:' }, ...fields.map(([k, v]) => line(1, k, v))];
    }
  }
}

/** The advisory's mapping: `id`, `aliases` when there are any, `events`. */
export function advisoryLines(advisory: Advisory): BlockLine[] {
  const lines: BlockLine[] = [{ depth: 0, text: `id: ${scalar(advisory.id)}` }];
  if (advisory.aliases.length > 0)
    lines.push(
      { depth: 0, text: 'aliases:' },
      ...advisory.aliases.map((a) => ({ depth: 1, text: `- ${scalar(a)}` })),
    );
  lines.push({ depth: 0, text: 'events:' });
  for (const event of advisory.events) lines.push(...asListItem(eventLines(event), 1));
  return lines;
}

/** A mapping's lines as one item of a block sequence at `depth` (`- ` before the first line). */
export function asListItem(lines: readonly BlockLine[], depth: number): BlockLine[] {
  return lines.map((l, i) =>
    i === 0 ? { depth, text: `- ${l.text}` } : { depth: depth + 1 + l.depth, text: l.text },
  );
}

/** Lines as text: each at `base` spaces plus two per depth, each ending in a newline. */
export function blockText(lines: readonly BlockLine[], base: number): string {
  return lines.map((l) => `${' '.repeat(base + 2 * l.depth)}${l.text}\n`).join('');
}

/** A scalar as YAML reads it back to the same string: plain when it can be, else double-quoted. */
export function scalar(value: string): string {
  return readsBackPlain(value) ? value : JSON.stringify(value);
}

function readsBackPlain(value: string): boolean {
  if (value === '' || /[\n\r\t]/.test(value)) return false;
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

function line(depth: number, key: string, value: string): BlockLine {
  return { depth, text: `${key}: ${scalar(value)}` };
}

function noteLine(note: string | undefined): BlockLine[] {
  return note === undefined ? [] : [line(0, 'note', note)];
}
