/**
 * VEX: reading OpenVEX 0.2 and CycloneDX 1.4-1.6 VEX into model statements, and writing
 * OpenVEX 0.2 and CycloneDX 1.6 VEX from a distribution's records and scan results.
 */

/** CycloneDX VEX → statements. */
export { isCycloneDxDocument, readCycloneDxVex } from './cyclonedx-vex-read.js';
/** Statements → CycloneDX 1.6 VEX. */
export {
  type CycloneDxVexComponent,
  type CycloneDxVexJson,
  type CycloneDxVexVulnerability,
  toCycloneDxVex,
} from './cyclonedx-vex-write.js';
/** Statements larder makes: from distribution records and findings (vulns.md §4.3). */
export {
  draftFromDistroRecord,
  draftFromFinding,
  notAffected,
  type VexDraft,
  type VexSubject,
} from './draft.js';
/** OpenVEX → statements. */
export { isOpenVexDocument, readOpenVex } from './openvex-read.js';
/** Statements → OpenVEX 0.2. */
export {
  OPENVEX_CONTEXT,
  type OpenVexDocumentJson,
  type OpenVexStatementJson,
  toOpenVexDocument,
  type VexDocumentOptions,
  vexTimestamp,
} from './openvex-write.js';
/** VEX files of either format. */
export { parseVexDocument, readVexFiles, type VexFormat } from './read.js';
/** The statements of a scan. */
export { imageProduct, plainPurl, type ScanVexInput, vexDraftsFromScan } from './scan-statements.js';
/** The VEX vocabularies and their mappings. */
export {
  CDX_JUSTIFICATIONS,
  CDX_RESPONSES,
  CDX_STATES,
  type CdxJustification,
  type CdxResponse,
  type CdxState,
  OPENVEX_JUSTIFICATIONS,
  OPENVEX_OF_WOLFI_FALSE_POSITIVE,
  OPENVEX_STATUSES,
  type OpenVexJustification,
  type VexStatus,
} from './vocabulary.js';
