/**
 * Problems found in an image config, each with the place it was found, so a validator can
 * report every problem at once (STYLE habit 9) and a user can jump to each.
 */
import { LarderError } from '../../core/index.js';

/** One problem in an image config or in the options that extend it. */
export interface ConfigIssue {
  /** The file as it was named to the loader, or `options` for append flags and `--arch`. */
  readonly file: string;
  /** 1-based line and column; absent when the problem has no place in a file. */
  readonly line?: number;
  readonly column?: number;
  /** Where in the document: `contents.packages[0]`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
}

/** A path segment as zod and the YAML walker see it. */
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
export function formatIssue(issue: ConfigIssue): string {
  const place = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${place}: ${issue.message}` : `${place}: ${issue.path}: ${issue.message}`;
}

/** Orders issues by file, then line and column, so reports read top to bottom. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** One CONFIG_INVALID error listing every issue, one per line after a summary line. */
export function configInvalid(subject: string, issues: readonly ConfigIssue[]): LarderError {
  const sorted = sortIssues(issues);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  const lines = sorted.map(formatIssue);
  return new LarderError(
    'CONFIG_INVALID',
    `invalid image config ${subject} (${count}):\n${lines.join('\n')}`,
    {
      subject,
      cause: sorted,
    },
  );
}
