/**
 * Problems found in advisory documents, each placed at `file:line:column`, so a validator
 * reports every problem at once (STYLE habit 9) and a user can jump to each.
 */
import { LarderError } from '../../core/index.js';

/** One problem in an advisory document. */
export interface AdvisoryIssue {
  readonly file: string;
  /** 1-based; absent when the problem has no place in the file (an unreadable file). */
  readonly line?: number;
  readonly column?: number;
  /** Where in the document: `advisories[2].events[0].data.fixed-version`; '' for the file. */
  readonly path: string;
  readonly message: string;
}

/** A path segment: a mapping key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `advisories[0].events[1].data`, keys that are not plain words in brackets. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `glibc.advisories.yaml:12:9: advisories[0].id: message`. */
export function formatAdvisoryIssue(issue: AdvisoryIssue): string {
  const place = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path === '' ? `${place}: ${issue.message}` : `${place}: ${issue.path}: ${issue.message}`;
}

/** Issues by file (byte order), then line and column, so reports read top to bottom. */
export function sortAdvisoryIssues(issues: readonly AdvisoryIssue[]): AdvisoryIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/** One ADVISORY_INVALID error listing every issue (one per line); `cause` holds the issues. */
export function advisoryInvalid(subject: string, issues: readonly AdvisoryIssue[]): LarderError {
  const sorted = sortAdvisoryIssues(issues);
  const count = sorted.length === 1 ? '1 problem' : `${sorted.length} problems`;
  return new LarderError(
    'ADVISORY_INVALID',
    `invalid advisories in ${subject} (${count}):\n${sorted.map(formatAdvisoryIssue).join('\n')}`,
    { subject, cause: sorted },
  );
}
