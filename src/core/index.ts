/** The lowest layer: errors, digests, atomic file writes and progress events. */
export { writeFileAtomic } from './atomic-write.js';
export { type DigestAlgorithm, hexDigest, parseQ1Checksum, q1Checksum, rawDigest } from './digest.js';
export {
  inFile,
  isLarderError,
  LarderError,
  type LarderErrorCode,
  type LarderErrorOptions,
} from './errors.js';
export {
  formatPath,
  formatPlacedIssue,
  type PathSegment,
  type PlacedIssue,
  placedIssuesError,
  sortPlacedIssues,
} from './placed-issues.js';
export { IGNORE_PROGRESS, type ProgressEvent, type ProgressListener } from './progress.js';
