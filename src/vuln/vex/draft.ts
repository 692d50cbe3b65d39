// Statements larder states itself: from a distribution's records (our advisories, secdb, OSV)
// about one installed package, and from scan findings. Mapping per vulns.md §4.3.
import { compareVersions } from '../../apk/index.js';
import type { DistroRecord, Finding, VexStatement } from '../model.js';
import {
  type CdxResponse,
  OPENVEX_JUSTIFICATIONS,
  OPENVEX_OF_WOLFI_FALSE_POSITIVE,
  wolfiFalsePositiveType,
} from './vocabulary.js';

/** A statement to write: the model statement plus what CycloneDX and OpenVEX notes carry. */
export interface VexDraft extends VexStatement {
  /** CycloneDX `analysis.response`. */
  readonly responses?: readonly CdxResponse[];
  /** OpenVEX `status_notes` (CycloneDX `detail`), when no impact or action statement says it. */
  readonly statusNotes?: string;
  /** The first fixed version, for CycloneDX's `affects[].versions` range. */
  readonly fixedVersion?: string;
  /** The version scheme of `fixedVersion` for a `vers:` range (`apk`, `golang`, `pypi`...). */
  readonly versionScheme?: string;
}

/** What a statement is about: the product (image or package purl), the package, its version. */
export interface VexSubject {
  readonly product: string;
  /** The package purl when the product is an image. */
  readonly subcomponent?: string;
  /** The installed version, so a fix later than it says `affected` rather than `fixed`. */
  readonly installedVersion?: string;
}

/**
 * The statement a distribution record makes about a subject. The vulnerability is named by its
 * CVE when the record's id is a distribution id with a CVE alias (scanners match a VEX name or
 * alias against their own ids; most know the CVE), the other ids become aliases.
 */
export function draftFromDistroRecord(record: DistroRecord, subject: VexSubject): VexDraft {
  const base = {
    ...naming(record.vulnerability, record.aliases),
    ...placing(subject),
    ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
    source: record.source,
  };
  switch (record.state) {
    case 'fixed': {
      const fixed = record.fixedVersion;
      const installed = subject.installedVersion;
      if (fixed !== undefined && installed !== undefined && compareVersions(installed, fixed) < 0)
        return {
          ...base,
          status: 'affected',
          actionStatement: `upgrade to ${fixed} or later`,
          responses: ['update'],
          fixedVersion: fixed,
          versionScheme: 'apk',
        };
      return {
        ...base,
        status: 'fixed',
        ...(fixed === undefined
          ? {}
          : { statusNotes: `fixed in ${fixed}`, fixedVersion: fixed, versionScheme: 'apk' }),
        responses: ['update'],
      };
    }
    case 'not-affected':
      return {
        ...base,
        ...notAffected(record.reason ?? `${record.distro || 'the distribution'} states not affected`),
      };
    case 'affected':
      return { ...base, status: 'affected', actionStatement: 'no fixed version yet; the fix is in progress' };
    case 'pending-upstream-fix':
      return {
        ...base,
        status: 'affected',
        actionStatement: withReason('pending upstream fix', record.reason),
        responses: ['can_not_fix'],
      };
    case 'fix-not-planned':
      return {
        ...base,
        status: 'affected',
        actionStatement: withReason('no fix planned', record.reason),
        responses: ['will_not_fix'],
      };
    case 'analysis-not-planned':
      return {
        ...base,
        status: 'under_investigation',
        statusNotes: withReason('analysis not planned', record.reason),
      };
    case 'under-investigation':
      return { ...base, status: 'under_investigation' };
  }
}

/** The statement a finding makes (affected, with the fix to take when there is one). */
export function draftFromFinding(finding: Finding, subject: VexSubject): VexDraft {
  const record = finding.match.record;
  if ('state' in record) return draftFromDistroRecord(record, subject);
  const base = {
    ...naming(finding.vulnerability, finding.aliases),
    ...placing(subject),
    status: 'affected' as const,
    source: record.source,
  };
  const fix = finding.fix;
  const first = fix.versions[0];
  if (fix.state === 'fixed' && first !== undefined)
    return {
      ...base,
      actionStatement: `upgrade to ${fix.versions.join(' or ')}`,
      responses: ['update'],
      fixedVersion: first,
      versionScheme: VERSION_SCHEME[finding.package.ecosystem],
    };
  if (fix.state === 'wont-fix')
    return { ...base, actionStatement: 'no fix planned', responses: ['will_not_fix'] };
  return { ...base, actionStatement: 'no fixed version is known yet' };
}

/** `not_affected` with the justification a Wolfi false-positive type maps to, and the reason. */
export function notAffected(reason: string): Pick<VexDraft, 'status' | 'justification' | 'impactStatement'> {
  const type = wolfiFalsePositiveType(reason);
  const mapped = type === undefined ? undefined : OPENVEX_OF_WOLFI_FALSE_POSITIVE[type];
  // A reason already in OpenVEX's words (a restated VEX statement) keeps its justification.
  const own = mapped ?? OPENVEX_JUSTIFICATIONS.find((j) => reason.includes(j));
  return {
    status: 'not_affected',
    ...(own === undefined ? {} : { justification: own }),
    impactStatement: reason,
  };
}

const VERSION_SCHEME: Readonly<Record<Finding['package']['ecosystem'], string>> = {
  apk: 'apk',
  go: 'golang',
  pypi: 'pypi',
  npm: 'npm',
  maven: 'maven',
  cargo: 'cargo',
};

function naming(id: string, aliases: readonly string[]): Pick<VexStatement, 'vulnerability' | 'aliases'> {
  const cve = /^CVE-/.test(id) ? undefined : aliases.find((a) => /^CVE-\d{4}-\d+$/.test(a));
  const name = cve ?? id;
  return { vulnerability: name, aliases: [...new Set([id, ...aliases])].filter((a) => a !== name).sort() };
}

function placing(subject: VexSubject): Pick<VexStatement, 'products' | 'subcomponents'> {
  return {
    products: [subject.product],
    subcomponents: subject.subcomponent === undefined ? [] : [subject.subcomponent],
  };
}

function withReason(what: string, reason: string | undefined): string {
  return reason === undefined || reason === '' ? what : `${what}: ${reason}`;
}
