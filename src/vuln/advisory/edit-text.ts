/**
 * Edits of an advisory file's text made at the positions the `yaml` library gives its nodes:
 * new content is inserted after the last item of a block sequence and nothing else changes, so
 * comments, key order, quoting and blank lines stay byte for byte.
 */
import { isMap, isSeq, LineCounter, parseDocument, type YAMLSeq } from 'yaml';
import { LarderError } from '../../core/index.js';
import { ADVISORY_SCHEMA_VERSION, type Advisory, type AdvisoryEvent } from './model.js';
import { advisoryLines, asListItem, type BlockLine, blockText, eventLines, scalar } from './render.js';

/** The text with `event` appended to the events of the advisory at `index` of `advisories`. */
export function appendEventText(text: string, file: string, index: number, event: AdvisoryEvent): string {
  const doc = parseDocument(text);
  const advisories = doc.get('advisories', true);
  const advisory = isSeq(advisories) ? advisories.items[index] : undefined;
  const events = isMap(advisory) ? advisory.get('events', true) : undefined;
  if (!isSeq(events)) throw cannotEdit(text, file, advisory, `advisories[${index}].events is not a list`);
  return appendItem(text, file, events, eventLines(event), false);
}

/** The text with `advisory` appended to `advisories`. */
export function appendAdvisoryText(text: string, file: string, advisory: Advisory): string {
  const doc = parseDocument(text);
  const advisories = doc.get('advisories', true);
  if (!isSeq(advisories)) throw cannotEdit(text, file, advisories, 'advisories is not a list');
  return appendItem(text, file, advisories, advisoryLines(advisory), gapBetweenItems(text, advisories));
}

/** A new document for `pkg` holding `advisory`, laid out as Wolfi's files are. */
export function newDocumentText(pkg: string, advisory: Advisory): string {
  const item = blockText(asListItem(advisoryLines(advisory), 1), 0);
  return `schema-version: ${ADVISORY_SCHEMA_VERSION}\n\npackage:\n  name: ${scalar(pkg)}\n\nadvisories:\n${item}`;
}

/**
 * Inserts an item after the last one of a block sequence, with the sequence's own dash
 * column and the column its items' content starts at.
 */
function appendItem(text: string, file: string, seq: YAMLSeq, lines: BlockLine[], gap: boolean): string {
  if (seq.flow || seq.range === undefined || seq.range === null || seq.items.length === 0)
    throw cannotEdit(text, file, seq, 'only a non-empty block-style list can be appended to');
  const dash = columnOf(text, seq.range[0]);
  const first = seq.items[0] as { range?: [number, number, number] | null };
  const offset = Math.max(2, columnOf(text, first.range?.[0] ?? seq.range[0] + 2) - dash);
  const body = lines
    .map((l, i) =>
      i === 0
        ? `${' '.repeat(dash)}-${' '.repeat(offset - 1)}${l.text}\n`
        : `${' '.repeat(dash + offset + 2 * l.depth)}${l.text}\n`,
    )
    .join('');
  const at = insertionPoint(text, seq.range[1]);
  const lead = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return `${text.slice(0, at)}${lead}${gap ? '\n' : ''}${body}${text.slice(at)}`;
}

/** The start of the line after the sequence's last content line (trailing blank lines stay after). */
function insertionPoint(text: string, end: number): number {
  let at = end;
  if (at > 0 && text[at - 1] !== '\n') {
    const newline = text.indexOf('\n', at);
    at = newline === -1 ? text.length : newline + 1;
  }
  for (;;) {
    if (at === 0 || text[at - 1] !== '\n') return at;
    const lineStart = text.lastIndexOf('\n', at - 2) + 1;
    if (lineStart >= at - 1 || text.slice(lineStart, at - 1).trim() !== '') return at;
    at = lineStart;
  }
}

/**
 * Whether the sequence separates its items with a blank line: as its first two items are, or
 * (one item) as Wolfi's `.yam.yaml` formats `.advisories` (with a gap).
 */
function gapBetweenItems(text: string, seq: YAMLSeq): boolean {
  const [a, b] = seq.items as { range?: [number, number, number] | null }[];
  if (a?.range == null || b?.range == null) return true;
  const start = insertionPoint(text, a.range[1]);
  return /\n[ \t]*\n/.test(`\n${text.slice(start, b.range[0])}`);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function cannotEdit(text: string, file: string, node: unknown, why: string): LarderError {
  const lines = new LineCounter();
  parseDocument(text, { lineCounter: lines });
  const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return new LarderError('ADVISORY_INVALID', `${file}:${line}:${col}: cannot edit: ${why}`, {
    subject: file,
  });
}
