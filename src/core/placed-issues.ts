/**
 * Problems found in an input file, each placed at `file:line:column`, so a validator reports
 * every problem at once (STYLE habit 9) and a user can jump to each. Shared by the image config,
 * advisory and other YAML readers.
 */
import { LarderError, type LarderErrorCode } from './errors.js';

/** One problem in an input file. */
export interface PlacedIssue {
  /** The file as it was named to the reader (or a label such as `options`). */
  readonly file: string;
  /** 1-based line and column; absent when the problem has no place in a file. */
  readonly line?: number;
  readonly column?: number;
  /** Where in the document: `contents.packages[0]`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** A path segment as zod and a YAML walker see it: a mapping key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `contents.packages[0]`, `environment["org.opencontainers.x"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `apko.yaml:3:5: contents.packages[0]: message`. */
export function formatPlacedIssue(issue: PlacedIssue): string {
  const place = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${place}: ${issue.message}` : `${place}: ${issue.path}: ${issue.message}`;
}

/** Issues by file (byte order), then line and column, so reports read top to bottom. */
export function sortPlacedIssues<T extends PlacedIssue>(issues: readonly T[]): T[] {
  return [...issues].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** One error listing every issue, one per line after `${what} ${subject} (N problems):`; `cause` holds the sorted issues. */
export function placedIssuesError(
  code: LarderErrorCode,
  what: string,
  subject: string,
  issues: readonly PlacedIssue[],
): LarderError {
  const sorted = sortPlacedIssues(issues);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return new LarderError(
    code,
    `${what} ${subject} (${count}):\n${sorted.map(formatPlacedIssue).join('\n')}`,
    {
      subject,
      cause: sorted,
    },
  );
}
