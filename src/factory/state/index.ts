/** The factory's recorded state: a typed data-access layer over the store's factory_* tables. */
export { type AdvisoryStateRecord, listAdvisories, recordAdvisories } from './advisories.js';
export {
  type BuildRecord,
  listBuilds,
  listPackages,
  type PackageRecord,
  recordBuild,
  recordPackages,
} from './builds.js';
export { appendEvent, type EventPage, listEvents, type RecordedEvent } from './events.js';
export {
  type ExposureWindow,
  exposureWindows,
  type FindingInput,
  type FindingRecord,
  type FindingState,
  imageFindings,
  openFindings,
  recordScan,
} from './findings.js';
export {
  type ImageRecord,
  type ImageVersionRecord,
  imageHistory,
  latestImageVersions,
  listImages,
  recordImage,
  recordImageVersion,
  updateImageVersion,
} from './images.js';
export { appendJobLog, readJobLog, type StoredJobLogLine } from './job-logs.js';
export { createToken, listTokens, revokeToken, type TokenRecord, verifyToken } from './tokens.js';
