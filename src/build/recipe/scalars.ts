/**
 * zod types for scalars read as text (see plain.ts): strings as they are, and the booleans and
 * integers melange's structs hold, converted from their text the way yaml.v3 converts them.
 */
import { z } from 'zod';

const TRUE = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const FALSE = new Set(['false', 'False', 'FALSE', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'n', 'N']);

/** A string field (any scalar's text, as yaml.v3 fills a Go string). */
export const str = z.string();

/** A boolean field: true/false (and yaml.v3's YAML 1.1 spellings yes/no/on/off). */
export const bool = z.string().transform((text, ctx) => {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  ctx.addIssue({ code: 'custom', message: `expected a boolean (true or false), got '${text}'` });
  return z.NEVER;
});

/** An unsigned integer field (Go uint64/int: decimal, 0x hex, 0o octal, underscores allowed). */
export const uint = z.string().transform((text, ctx) => {
  const plain = text.replaceAll('_', '');
  const value = /^\+?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/.test(plain)
    ? Number(plain.replace(/^\+/, '').replace(/^0[oO]/, '0o'))
    : Number.NaN;
  if (Number.isSafeInteger(value) && value >= 0) return value;
  ctx.addIssue({ code: 'custom', message: `expected an unsigned integer, got '${text}'` });
  return z.NEVER;
});

/** A map of strings (Go `map[string]string`). */
export const stringMap = z.record(z.string(), z.string());

/** A list of strings. */
export const stringList = z.array(z.string());
