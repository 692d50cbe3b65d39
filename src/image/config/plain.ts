/**
 * YAML document → plain data, shaped the way apko's yaml.v3 decoder fills its structs, so the
 * zod schema sees what apko would see:
 * - string maps (`environment`, `annotations`, `entrypoint.services`) take any scalar's source
 *   text (`PORT: 8080` is the string "8080"; yaml.v3 decodes any scalar into a string field);
 * - integer fields read their source the way Go's `strconv.ParseInt(s, 0, 64)` does, so
 *   `permissions: 0755` is octal as in apko (YAML 1.2 would say decimal 755);
 * - a null mapping value means "not set", like a zero Go value.
 * Everywhere else strings stay strict: a bare `1.0` where a string is wanted is reported.
 */
import { isScalar } from 'yaml';
import type { PathSegment } from './issues.js';
import { nodeAt, scalarSource, type YamlSource } from './yaml-source.js';

type Pattern = readonly (string | '*')[];

const STRING_MAPS: readonly Pattern[] = [['environment'], ['annotations'], ['entrypoint', 'services']];

const INT_FIELDS: readonly Pattern[] = [
  ['accounts', 'users', '*', 'uid'],
  ['accounts', 'users', '*', 'gid'],
  ['accounts', 'groups', '*', 'gid'],
  ['paths', '*', 'uid'],
  ['paths', '*', 'gid'],
  ['paths', '*', 'permissions'],
  ['layering', 'budget'],
];

/**
 * The document as plain data (see the module comment for the apko-compatible adjustments).
 * Throws the yaml library's error for an alias bomb (more than 1000 alias expansions).
 */
export function toPlainData(source: YamlSource): unknown {
  const data: unknown = source.doc.toJS({ maxAliasCount: 1000 });
  for (const pattern of STRING_MAPS) {
    forEachPath(data, pattern, [], (map, mapPath) => {
      if (!isRecord(map)) return;
      for (const [key, value] of Object.entries(map)) {
        if (value === null) map[key] = '';
        else if (typeof value === 'number' || typeof value === 'boolean') {
          map[key] = scalarSource(nodeAt(source, [...mapPath, key])) ?? String(value);
        }
      }
    });
  }
  for (const pattern of INT_FIELDS) {
    const parent = pattern.slice(0, -1);
    const field = pattern[pattern.length - 1] ?? '';
    forEachPath(data, parent, [], (holder, holderPath) => {
      if (!isRecord(holder) || !(field in holder)) return;
      const node = nodeAt(source, [...holderPath, field]);
      // Only plain scalars: a quoted "1" is a string to yaml.v3 and stays one.
      const text = isScalar(node) && node.type === 'PLAIN' ? scalarSource(node) : undefined;
      const parsed = text === undefined ? undefined : goParseInt(text);
      if (parsed !== undefined) holder[field] = parsed;
    });
  }
  return dropNullValues(data);
}

/** Go's `strconv.ParseInt(s, 0, 64)` after yaml.v3 strips underscores; undefined if not an int. */
export function goParseInt(text: string): number | undefined {
  const plain = text.replaceAll('_', '');
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain);
  if (match === null) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const digits = match[2] ?? '';
  let value: number;
  if (/^0[xX]/.test(digits)) value = Number.parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) value = Number.parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) value = Number.parseInt(digits.slice(2), 2);
  else if (digits.startsWith('0')) value = digits === '0' ? 0 : Number.parseInt(digits.slice(1), 8);
  else value = Number.parseInt(digits, 10);
  return Number.isSafeInteger(value) ? sign * value : undefined;
}

function forEachPath(
  data: unknown,
  pattern: Pattern,
  path: PathSegment[],
  visit: (value: unknown, path: PathSegment[]) => void,
): void {
  const [head, ...rest] = pattern;
  if (head === undefined) {
    visit(data, path);
    return;
  }
  if (head === '*') {
    if (Array.isArray(data)) {
      data.forEach((item, i) => {
        forEachPath(item, rest, [...path, i], visit);
      });
    }
    return;
  }
  if (isRecord(data) && head in data) forEachPath(data[head], rest, [...path, head], visit);
}

function dropNullValues(data: unknown): unknown {
  if (Array.isArray(data)) return data.map((item) => (item === null ? null : dropNullValues(item)));
  if (!isRecord(data)) return data;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== null) out[key] = dropNullValues(value);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
