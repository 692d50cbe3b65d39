/**
 * Advisory files read fast as plain data: js-yaml with the failsafe schema gives every scalar
 * as its text, which is how wolfictl's yaml.v3 decoder fills its string fields (a fixed
 * version `1.10-r0` and a timestamp both stay text). Duplicate keys and several documents in
 * one file are refused by the loader itself.
 */
import jsYaml from 'js-yaml';

/** Plain data: strings, lists and string-keyed records; `null` for empty list items. */
export type Plain = string | null | Plain[] | { [key: string]: Plain };

/** What loading gave: plain data, the loader's complaint, or a document that shares collections. */
export type PlainLoad =
  | { readonly data: Plain }
  | { readonly error: string; readonly line: number; readonly column: number }
  | { readonly shared: true };

/** The document as plain data (empty mapping values dropped), or why not. */
export function loadPlainYaml(text: string): PlainLoad {
  try {
    const data = (jsYaml.load(text, { schema: jsYaml.FAILSAFE_SCHEMA }) as Plain | undefined) ?? null;
    if (hasSharedCollections(data)) return { shared: true };
    return { data: dropNullValues(data) };
  } catch (err) {
    const mark = (err as { mark?: { line?: number; column?: number } }).mark;
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    return { error: reason, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
  }
}

/**
 * True when a mapping or list is reached twice (a YAML alias `*name` of a collection). Advisory
 * files never use them, and walking the data through them takes exponential time ("billion
 * laughs"), so they are refused before any walk. Linear in the distinct nodes.
 */
function hasSharedCollections(data: Plain): boolean {
  const seen = new Set<object>();
  const stack: Plain[] = [data];
  while (stack.length > 0) {
    const node = stack.pop() as Plain;
    if (node === null || typeof node !== 'object') continue;
    if (seen.has(node)) return true;
    seen.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push(child);
  }
  return false;
}

/** `data:` with nothing after it is the same as no `data` (yaml.v3 leaves the field unset). */
function dropNullValues(data: Plain): Plain {
  if (Array.isArray(data)) return data.map(dropNullValues);
  if (data === null || typeof data !== 'object') return data;
  const out: { [key: string]: Plain } = {};
  for (const [k, v] of Object.entries(data)) if (v !== null) out[k] = dropNullValues(v);
  return out;
}
