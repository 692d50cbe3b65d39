/**
 * `{ key: value }` when value is set, `{}` otherwise. Spread into object literals so optional
 * fields stay absent rather than `undefined` (exactOptionalPropertyTypes).
 */
export function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
