/**
 * Advisory files read fast as plain data: js-yaml with the failsafe schema gives every scalar
 * as its text, which is how wolfictl's yaml.v3 decoder fills its string fields (a fixed
 * version `1.10-r0` and a timestamp both stay text). Duplicate keys and several documents in
 * one file are refused by the loader itself.
 */
import jsYaml from 'js-yaml';

/** Plain data: strings, lists and string-keyed records; `null` for empty list items. */
export type Plain = string | null | Plain[] | { [key: string]: Plain };

/** The document as plain data (empty mapping values dropped), or the loader's complaint. */
export function loadPlainYaml(
  text: string,
): { data: Plain } | { error: string; line: number; column: number } {
  try {
    const data = jsYaml.load(text, { schema: jsYaml.FAILSAFE_SCHEMA }) as Plain | undefined;
    return { data: dropNullValues(data ?? null) };
  } catch (err) {
    const mark = (err as { mark?: { line?: number; column?: number } }).mark;
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    return { error: reason, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
  }
}

/** `data:` with nothing after it is the same as no `data` (yaml.v3 leaves the field unset). */
function dropNullValues(data: Plain): Plain {
  if (Array.isArray(data)) return data.map(dropNullValues);
  if (data === null || typeof data !== 'object') return data;
  const out: { [key: string]: Plain } = {};
  for (const [k, v] of Object.entries(data)) if (v !== null) out[k] = dropNullValues(v);
  return out;
}
