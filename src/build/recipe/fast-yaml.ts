/**
 * Recipes read fast: js-yaml with the failsafe schema gives every scalar as its text, which is
 * how melange's yaml.v3 decoder fills the string fields that make up nearly all of a recipe
 * (`version: 1.10` is "1.10", not 1.1). It is an order of magnitude faster than building a
 * document with positions, so the positioned document (see `lazySource`) is only built when
 * there is a problem to place.
 */
import jsYaml from 'js-yaml';
import { type ConfigIssue, parseYamlSource, type YamlSource } from '../../image/index.js';

/** Plain data: strings, lists and string-keyed records; `null` for empty list items. */
export type Plain = string | null | Plain[] | { [key: string]: Plain };

/** YAML's `<<` merge key, which yaml.v3 honours (js-yaml's own type, declared here for typing). */
const MERGE = new jsYaml.Type('tag:yaml.org,2002:merge', {
  kind: 'scalar',
  resolve: (data: unknown) => data === '<<' || data === null,
});

const SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [MERGE] });

/** The document as string-scalar plain data, or the parser's complaint. */
export function loadPlain(text: string): { data: Plain } | { error: string; line: number; column: number } {
  try {
    const data = jsYaml.load(text, { schema: SCHEMA }) as Plain | undefined;
    return { data: dropNullValues(data ?? null) };
  } catch (err) {
    const mark = (err as { mark?: { line?: number; column?: number } }).mark;
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    return { error: reason, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 };
  }
}

/** The positioned document, built once on first use. */
export function lazySource(text: string, file: string): () => { source: YamlSource; issues: ConfigIssue[] } {
  let built: { source: YamlSource; issues: ConfigIssue[] } | undefined;
  return () => {
    built ??= parseYamlSource(text, file);
    return built;
  };
}

function dropNullValues(data: Plain): Plain {
  if (Array.isArray(data)) return data.map(dropNullValues);
  if (data === null || typeof data !== 'object') return data;
  const out: { [key: string]: Plain } = {};
  for (const [k, v] of Object.entries(data)) if (v !== null) out[k] = dropNullValues(v);
  return out;
}
