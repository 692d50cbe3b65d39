/**
 * Edits of a YAML text made in place at the positions the `yaml` library's Document gives its
 * nodes, so that every comment, key order, indentation and quoting style outside the edited
 * values stays byte for byte.
 */
import { isScalar, type Pair, parse, Scalar } from 'yaml';

/** One replacement of `text.slice(start, end)`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits (in any order) to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/**
 * The edit that makes scalar `node` hold the string `value`, written in the node's own style:
 * quotes stay; plain stays plain unless YAML would read it back as something else (`2.0` is a
 * number), then it is double-quoted. With `as: 'yaml'` the value is YAML text written as is
 * (`0` for an integer).
 * @throws Error when `node` is not a scalar with a source range (a caller's mistake).
 */
export function replaceScalar(node: unknown, value: string, as: 'string' | 'yaml' = 'string'): TextEdit {
  if (!isScalar(node) || node.range === undefined || node.range === null)
    throw new Error('replaceScalar: a scalar parsed from text is expected');
  const [start, end] = node.range;
  return { start, end, text: as === 'yaml' ? value : styled(node.type, value) };
}

function styled(type: Scalar['type'], value: string): string {
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  return plainReadsAs(value) ? value : JSON.stringify(value);
}

function plainReadsAs(value: string): boolean {
  try {
    return parse(value) === value;
  } catch {
    return false;
  }
}

/**
 * The edit that removes a block mapping's `key: value` pair with the whole lines it is on
 * (a comment after the value on its last line goes with it).
 */
export function removePair(text: string, pair: Pair): TextEdit {
  const key = pair.key as { range?: [number, number, number] } | null;
  const value = pair.value as { range?: [number, number, number] } | null;
  const from = key?.range?.[0];
  const to = value?.range?.[2] ?? key?.range?.[2];
  if (from === undefined || to === undefined) throw new Error('removePair: a parsed pair is expected');
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const newline = text.indexOf('\n', Math.max(to - 1, from));
  return { start: lineStart, end: newline === -1 ? text.length : newline + 1, text: '' };
}
