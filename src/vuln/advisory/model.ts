/**
 * Wolfi advisory documents, schema 2.x (vulns.md §1): one `<package>.advisories.yaml` per origin
 * package, a list of advisories, each with a timestamped history of typed events.
 */

/** Event types, in wolfictl's order. */
export const ADVISORY_EVENT_TYPES = [
  'detection',
  'true-positive-determination',
  'fixed',
  'false-positive-determination',
  'analysis-not-planned',
  'fix-not-planned',
  'pending-upstream-fix',
] as const;
export type AdvisoryEventType = (typeof ADVISORY_EVENT_TYPES)[number];

/** How a detection was made. */
export const DETECTION_TYPES = ['manual', 'nvdapi', 'scan/v1'] as const;
export type DetectionType = (typeof DETECTION_TYPES)[number];

/** Why a match is a false positive: wolfictl's seven types, the only ones found in Wolfi's data. */
export const FALSE_POSITIVE_TYPES = [
  'vulnerability-record-analysis-contested',
  'component-vulnerability-mismatch',
  'vulnerable-code-version-not-used',
  'vulnerable-code-not-included-in-package',
  'vulnerable-code-not-in-execution-path',
  'vulnerable-code-cannot-be-controlled-by-adversary',
  'inline-mitigations-exist',
] as const;
export type FalsePositiveType = (typeof FALSE_POSITIVE_TYPES)[number];

/** A scanner's match (`scan/v1`): the component it matched and where it sits in the package. */
export interface ScanDetection {
  /** The binary (sub)package the component was found in. */
  readonly subpackageName: string;
  readonly componentID: string;
  readonly componentName: string;
  readonly componentVersion: string;
  /** syft's package type: `go-module`, `apk`, `java-archive`, `python`, `rust-crate`, `npm`... */
  readonly componentType: string;
  readonly componentLocation: string;
  readonly scanner: string;
}

/** `detection` data by its `type`. */
export type Detection =
  | { readonly type: 'manual' }
  | { readonly type: 'nvdapi'; readonly data: { readonly cpeSearched: string; readonly cpeFound: string } }
  | { readonly type: 'scan/v1'; readonly data: ScanDetection };

/** A note-only event whose note wolfictl requires. */
export interface NoteData {
  readonly note: string;
}

interface EventBase {
  /** RFC 3339 as written in the file (Wolfi writes `YYYY-MM-DDTHH:MM:SSZ`). */
  readonly timestamp: string;
}

/** One entry of an advisory's history, discriminated by `type`. */
export type AdvisoryEvent =
  | (EventBase & { readonly type: 'detection'; readonly data: Detection })
  | (EventBase & { readonly type: 'true-positive-determination'; readonly data?: { readonly note?: string } })
  | (EventBase & { readonly type: 'fixed'; readonly data: { readonly fixedVersion: string } })
  | (EventBase & {
      readonly type: 'false-positive-determination';
      readonly data: { readonly type: FalsePositiveType; readonly note?: string };
    })
  | (EventBase & { readonly type: 'pending-upstream-fix'; readonly data: NoteData })
  | (EventBase & { readonly type: 'fix-not-planned'; readonly data: NoteData })
  | (EventBase & { readonly type: 'analysis-not-planned'; readonly data: NoteData });

/** What is known about one vulnerability in one package. */
export interface Advisory {
  /** `CGA-xxxx-xxxx-xxxx`. */
  readonly id: string;
  /** CVE, GHSA and Go ids of the same vulnerability. */
  readonly aliases: readonly string[];
  /** The history, in file order (which need not be time order: see `latestEvent`). */
  readonly events: readonly AdvisoryEvent[];
}

/** One `<package>.advisories.yaml`. */
export interface AdvisoryDocument {
  /** The file it was read from (as named to the reader). */
  readonly file: string;
  /** `2`, `2.0.1`, `2.0.2`... */
  readonly schemaVersion: string;
  /** The origin (source) package name; the file is named after it. */
  readonly package: { readonly name: string };
  readonly advisories: readonly Advisory[];
}

/** The schema version larder writes into new documents (what Wolfi's files use). */
export const ADVISORY_SCHEMA_VERSION = '2.0.2';

/** The file name of a package's advisory document. */
export function advisoryFileName(pkg: string): string {
  return `${pkg}.advisories.yaml`;
}

/** The suffix every advisory document's name ends with. */
export const ADVISORY_FILE_SUFFIX = '.advisories.yaml';
