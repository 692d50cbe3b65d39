/**
 * JSON the way Go's encoding/json writes a map[string]any: compact, object keys sorted, and
 * `<`, `>`, `&`, U+2028, U+2029 escaped. Those characters only occur inside strings, so
 * replacing them in the output is safe.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}
