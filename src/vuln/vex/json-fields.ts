// Reading JSON documents from outside: parse with a located syntax error, then walk the value
// with typed accessors that name the path of a bad field (`statements[2].status`) and its value.
import { LarderError, type LarderErrorCode } from '../../core/index.js';

/** One place in a JSON value, for messages: `statements[2].products[0]['@id']`. */
export type JsonPath = readonly (string | number)[];

/** `statements[2].products[0].@id` */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(document)' : out;
}

/** Parses JSON text; a syntax error names the file and, when V8 gives one, the line:column. */
export function parseJsonText(text: string, file: string, code: LarderErrorCode): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const where = at?.[1] === undefined ? '' : `:${lineColumn(text, Number(at[1]))}`;
    throw new LarderError(code, `${file}${where}: not valid JSON: ${message}`, { cause: err, subject: file });
  }
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `${line}:${offset - start + 1}`;
}

/** A short, safe rendering of a bad value for an error message. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = `'${value}'`;
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Typed access to the fields of one parsed document; every failure is a LarderError of `code`. */
export class JsonFields {
  constructor(
    readonly file: string,
    readonly code: LarderErrorCode,
  ) {}

  fail(path: JsonPath, problem: string): never {
    throw new LarderError(this.code, `${this.file}: ${formatJsonPath(path)}: ${problem}`, {
      subject: this.file,
    });
  }

  object(value: unknown, path: JsonPath): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, `expected an object, found ${showValue(value)}`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: JsonPath): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected a list, found ${showValue(value)}`);
    return value;
  }

  /** An optional list: absent or null is empty. */
  optionalArray(value: unknown, path: JsonPath): readonly unknown[] {
    return value === undefined || value === null ? [] : this.array(value, path);
  }

  string(value: unknown, path: JsonPath): string {
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(path, `expected a non-empty string, found ${showValue(value)}`);
    return value;
  }

  optionalString(value: unknown, path: JsonPath): string | undefined {
    return value === undefined || value === null ? undefined : this.string(value, path);
  }

  /** A string out of a fixed set. */
  oneOf<T extends string>(value: unknown, path: JsonPath, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
      this.fail(path, `value ${showValue(value)} is not one of ${allowed.join(', ')}`);
    return value as T;
  }

  /** An RFC 3339 timestamp, normalized to UTC `YYYY-MM-DDTHH:MM:SS[.sss]Z` so that strings order by time. */
  optionalTimestamp(value: unknown, path: JsonPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    const text = this.string(value, path);
    const time = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(text)
      ? Date.parse(text)
      : NaN;
    if (Number.isNaN(time)) this.fail(path, `value ${showValue(text)} is not an RFC 3339 timestamp`);
    return normalizeTimestamp(time);
  }
}

/** Milliseconds since the epoch as ISO UTC; whole seconds are written without `.000`. */
export function normalizeTimestamp(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}
