/**
 * zod issues → advisory issues at YAML positions, with messages that say what was expected and
 * what was found (the file's data is plain text, so "expected" is about shapes and values).
 */
import type { z } from 'zod';
import type { AdvisoryIssue, PathSegment } from './issues.js';
import type { Plain } from './plain-yaml.js';
import type { YamlPlaces } from './yaml-places.js';

/** Places every zod issue; unknown keys become one issue per key, at the key. */
export function placeZodIssues(places: YamlPlaces, data: Plain, error: z.ZodError): AdvisoryIssue[] {
  const out: AdvisoryIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(places.issue([...path, key], `unknown key '${key}'`, 'key'));
      continue;
    }
    const value = valueAt(data, path);
    const key = path[path.length - 1];
    if (!value.found && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
      out.push(places.issue(path.slice(0, -1), `missing required key '${String(key)}'`));
      continue;
    }
    out.push(places.issue(path, messageOf(issue, value.value, path)));
  }
  return out;
}

function messageOf(issue: z.core.$ZodIssue, value: unknown, path: readonly PathSegment[]): string {
  switch (issue.code) {
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
      const what = path[path.length - 2] === 'data' ? 'detection type' : 'event type';
      return `unknown ${what} ${describe(value)} (expected one of: ${options.join(', ')})`;
    }
    case 'invalid_value': {
      const what = path[path.length - 2] === 'data' ? 'false-positive type' : 'value';
      return `unknown ${what} ${describe(value)} (expected one of: ${issue.values.map(String).join(', ')})`;
    }
    case 'invalid_type':
      return `expected ${article(issue.expected)}, got ${describe(value)}`;
    default:
      return issue.message;
  }
}

function valueAt(data: Plain, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, String(segment)))
      return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return { found: true, value: current };
}

function article(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `'${String(value)}'`;
}
