/**
 * Feeds: readers that turn outside vulnerability data (Alpine/Wolfi secdb JSON, OSV records in
 * files, directories and zip exports, Wolfi advisory directories) into the model's records, and
 * CVSS vectors into scores and severity levels.
 */
export { type AdvisoryFeedOptions, readAdvisoryFeed } from './advisory-files.js';
export { type CvssReading, readCvss } from './cvss.js';
export { concatFeedRecords, type FeedInput, type FeedRecords, metaOfIdGroups } from './feed-records.js';
export { jsonErrorPosition } from './json-error-position.js';
export { normalizePackageName, type OsvEcosystemTarget, osvEcosystemTarget } from './osv-ecosystem.js';
export { addOsvFile, readOsvPath } from './osv-files.js';
export { addOsvRecord, type FeedSink, feedSink } from './osv-record.js';
export { inferSecdbDistro, parseSecdb, type SecdbReadOptions } from './secdb.js';
export { readSecdbFile, secdbInput } from './secdb-files.js';
export { higherSeverity, severityOf, severityOfCvss, severityOfText } from './severity.js';
