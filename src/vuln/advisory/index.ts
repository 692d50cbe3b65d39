/**
 * Wolfi advisory documents (schema 2.x): read and validate them with every problem placed at
 * `file:line:column`, derive each advisory's state from its latest event, turn documents into
 * the model's DistroRecords and into an Alpine/Wolfi secdb, and record new events in place.
 */
export { type AddAdvisoryEventRequest, type AddedAdvisoryEvent, addAdvisoryEvent } from './add.js';
export { appendAdvisoryText, appendEventText, newDocumentText } from './edit-text.js';
export { checkAdvisoryEvent, normalizeAdvisoryEvent } from './event-check.js';
export { ADVISORY_ID_ALPHABET, isAdvisoryId, isAliasId, newAdvisoryId, type RandomBytes } from './ids.js';
export {
  type AdvisoryIssue,
  advisoryInvalid,
  formatAdvisoryIssue,
  sortAdvisoryIssues,
} from './issues.js';
export {
  ADVISORY_EVENT_TYPES,
  ADVISORY_FILE_SUFFIX,
  ADVISORY_SCHEMA_VERSION,
  type Advisory,
  type AdvisoryDocument,
  type AdvisoryEvent,
  type AdvisoryEventType,
  advisoryFileName,
  DETECTION_TYPES,
  type Detection,
  type DetectionType,
  FALSE_POSITIVE_TYPES,
  type FalsePositiveType,
  type NoteData,
  type ScanDetection,
} from './model.js';
export { type ParsedAdvisoryText, parseAdvisoryText } from './parse.js';
export {
  type AdvisoryFileCheck,
  advisoryFiles,
  checkAdvisoryDirectory,
  readAdvisoryDirectory,
  readAdvisoryDocument,
} from './read.js';
export { fixedVersionProblem } from './schema.js';
export {
  formatSecdbJson,
  SECDB_APK_URL,
  SECDB_NOT_AFFECTED,
  type SecdbDocument,
  type SecdbOptions,
  type SecdbPackage,
  toSecdb,
} from './secdb.js';
export {
  type AdvisoryRecordOptions,
  advisoryDistroRecords,
  advisoryEventState,
  latestEvent,
  sortedAdvisoryEvents,
} from './state.js';
export { type AdvisoryFilter, type AdvisorySummary, summarizeAdvisories } from './summary.js';
