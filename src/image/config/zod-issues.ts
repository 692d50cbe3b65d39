/**
 * zod issues → ConfigIssues placed at YAML nodes. zod validates plain data and knows only
 * paths; the YAML source turns each path back into a line and column.
 */
import type { z } from 'zod';
import type { ConfigIssue, PathSegment } from './issues.js';
import { REMOVED_KEYS } from './schema.js';
import { issueAt, keyNodeAt, placeOf, scalarSource, type YamlSource } from './yaml-source.js';

/** Places every zod issue in the file; unknown keys become one issue per key. */
export function placeZodIssues(source: YamlSource, data: unknown, error: z.ZodError): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = REMOVED_KEYS[key];
        const message = hint === undefined ? `unknown key '${key}'` : `unknown key '${key}': ${hint}`;
        out.push(issueAt(source, keyNodeAt(source, path, key), [...path, key], message));
      }
      continue;
    }
    const value = valueAt(data, path);
    if (issue.code === 'invalid_type' && value.found === false) {
      const key = path[path.length - 1];
      const parent = path.slice(0, -1);
      out.push(issueAt(source, placeOf(source, parent), parent, `missing required key '${String(key)}'`));
      continue;
    }
    const node = placeOf(source, path);
    const message =
      issue.code === 'invalid_type'
        ? `expected ${article(issue.expected)}, got ${describe(value.value, scalarSource(node), issue.expected)}`
        : issue.message;
    out.push(issueAt(source, node, path, message));
  }
  return out;
}

function valueAt(data: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !(String(segment) in current)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return { found: true, value: current };
}

function article(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'record':
      return 'a mapping';
    case 'int':
      return 'an integer';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

function describe(value: unknown, source: string | undefined, expected: string): string {
  if (value === null || value === undefined) return 'nothing (null)';
  const hint = expected === 'string' ? ' (quote it to make it a string)' : '';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return `the number ${source ?? String(value)}${hint}`;
    case 'boolean':
      return `the boolean ${source ?? String(value)}${hint}`;
    case 'string':
      return `the string '${value}'`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
