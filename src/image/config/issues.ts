/**
 * Problems found in an image config, each with the place it was found (core's placed issues),
 * so a validator can report every problem at once and a user can jump to each.
 */
import {
  formatPlacedIssue as formatIssue,
  type LarderError,
  type PlacedIssue,
  placedIssuesError,
  sortPlacedIssues as sortIssues,
} from '../../core/index.js';

export { formatPath, type PathSegment } from '../../core/index.js';
export { formatIssue, sortIssues };

/** One problem in an image config or in the options that extend it (`file` is `options` for append flags and `--arch`). */
export type ConfigIssue = PlacedIssue;

/** One CONFIG_INVALID error listing every issue, one per line after a summary line. */
export function configInvalid(subject: string, issues: readonly ConfigIssue[]): LarderError {
  return placedIssuesError('CONFIG_INVALID', 'invalid image config', subject, issues);
}
