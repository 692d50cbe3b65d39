/**
 * Problems found in advisory documents, each placed at `file:line:column` (core's placed
 * issues), so a validator reports every problem at once and a user can jump to each.
 * `path` is e.g. `advisories[2].events[0].data.fixed-version`; '' for the file.
 */
import {
  formatPlacedIssue as formatAdvisoryIssue,
  type LarderError,
  type PlacedIssue,
  placedIssuesError,
  sortPlacedIssues as sortAdvisoryIssues,
} from '../../core/index.js';

export { formatPath, type PathSegment } from '../../core/index.js';
export { formatAdvisoryIssue, sortAdvisoryIssues };

/** One problem in an advisory document. */
export type AdvisoryIssue = PlacedIssue;

/** One ADVISORY_INVALID error listing every issue (one per line); `cause` holds the issues. */
export function advisoryInvalid(subject: string, issues: readonly AdvisoryIssue[]): LarderError {
  return placedIssuesError('ADVISORY_INVALID', 'invalid advisories in', subject, issues);
}
