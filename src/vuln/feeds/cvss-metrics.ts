import type { Cvss } from '../model.js';

/** A parsed CVSS vector, or why it is not one. */
export type CvssReading = { readonly cvss: Cvss } | { readonly problem: string };

/**
 * Splits `K:V/K:V...` into metrics, checking every key is known, every value allowed, no key
 * repeats and every base metric is present.
 */
export function readMetrics(
  text: string,
  base: Readonly<Record<string, readonly string[]>>,
  other: Readonly<Record<string, readonly string[]>>,
): { readonly values: Readonly<Record<string, string>> } | { readonly problem: string } {
  const values: Record<string, string> = {};
  for (const part of text.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0) return { problem: `metric '${part}' is not KEY:VALUE` };
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const allowed = Object.hasOwn(base, key) ? base[key] : Object.hasOwn(other, key) ? other[key] : undefined;
    if (allowed === undefined) return { problem: `unknown metric '${key}'` };
    if (!allowed.includes(value))
      return { problem: `metric ${key} has value '${value}' (one of ${allowed.join(', ')})` };
    if (Object.hasOwn(values, key)) return { problem: `metric ${key} appears twice` };
    values[key] = value;
  }
  const missing = Object.keys(base).filter((k) => !Object.hasOwn(values, k));
  if (missing.length > 0)
    return { problem: `base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing` };
  return { values };
}
