import { LarderError, type LarderErrorCode } from '../../core/index.js';
import { jsonErrorPosition } from './json-error-position.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses JSON text (or UTF-8 bytes) from `file`. Bad UTF-8 and syntax errors become a
 * LarderError with `code` naming the file and, for syntax errors, the line and column.
 */
export function parseJsonInput(input: string | Uint8Array, file: string, code: LarderErrorCode): unknown {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = UTF8.decode(input);
    } catch (err) {
      throw new LarderError(code, `${file}: not UTF-8 text`, { cause: err, subject: file });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LarderError(code, `${file}: ${locate(text)}`, { cause: err, subject: file });
  }
}

/** `line L col C: malformed JSON (...)`, the position found by walking the text again. */
function locate(text: string): string {
  const position = jsonErrorPosition(text) ?? text.length;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const col = position - before.lastIndexOf('\n');
  const found =
    position >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[position])}`;
  return `line ${line} col ${col}: malformed JSON (${found})`;
}

/** A JSON path as people read it: `packages[3].pkg.secfixes["1.2-r0"][1]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
      out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/** The value at `path` in `data`, shown briefly for messages (`42`, `"abc"`, `an object`). */
export function shownValue(data: unknown, path: readonly PropertyKey[]): string {
  let at: unknown = data;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return 'nothing';
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  if (at === undefined) return 'nothing';
  if (Array.isArray(at)) return 'an array';
  if (at !== null && typeof at === 'object') return 'an object';
  const text = JSON.stringify(at);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
