/**
 * Just enough of Go's `encoding/json` to write a struct the way `json.Encoder` does: fields in
 * declaration order, `omitempty` (empty strings, zero numbers, false, nil pointers, empty
 * slices and maps are left out; structs never are), map keys in byte order, and strings with
 * `<`, `>`, `&`, U+2028 and U+2029 escaped. Each helper returns the JSON text of a value, or
 * undefined for a field to leave out.
 */
import { compareBytes } from './tree.js';

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A JSON string as Go writes it (an unpaired surrogate becomes U+FFFD, as invalid UTF-8 does in Go). */
export function goString(value: string): string {
  const wellFormed = value.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
  return JSON.stringify(wellFormed).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}

/** A struct: the fields whose text is not undefined, in the given order. */
export function goStruct(fields: ReadonlyArray<readonly [string, string | undefined]>): string {
  const parts = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${goString(k)}:${v}`);
  return `{${parts.join(',')}}`;
}

/** `omitempty` string. */
export function omitString(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : goString(value);
}

/** `omitempty` number (0 is left out). */
export function omitNumber(value: number | undefined): string | undefined {
  return value === undefined || value === 0 ? undefined : String(value);
}

/** A pointer to a number with `omitempty`: only an unset one is left out. */
export function pointerNumber(value: number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/** `omitempty` bool. */
export function omitBool(value: boolean | undefined): string | undefined {
  return value === true ? 'true' : undefined;
}

/** `omitempty` slice. */
export function omitList<T>(
  items: readonly T[] | undefined,
  encode: (item: T) => string,
): string | undefined {
  return items === undefined || items.length === 0 ? undefined : `[${items.map(encode).join(',')}]`;
}

/** `omitempty` map of strings, keys in byte order. */
export function omitMap(map: Readonly<Record<string, string>> | undefined): string | undefined {
  const keys = Object.keys(map ?? {}).sort(compareBytes);
  if (map === undefined || keys.length === 0) return undefined;
  return `{${keys.map((k) => `${goString(k)}:${goString(map[k] ?? '')}`).join(',')}}`;
}
