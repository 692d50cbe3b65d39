// The words of the VEX formats and how they translate into each other (docs: ../shared vulns.md
// §4.3; OpenVEX 0.2 and CycloneDX 1.6 enumerations).
import type { VexStatement } from '../model.js';

/** OpenVEX statuses, which are also the model's. */
export const OPENVEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = VexStatement['status'];

/** OpenVEX (CISA) justifications for `not_affected`. */
export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type OpenVexJustification = (typeof OPENVEX_JUSTIFICATIONS)[number];

/** CycloneDX 1.4-1.6 `analysis.state`. */
export const CDX_STATES = [
  'resolved',
  'resolved_with_pedigree',
  'exploitable',
  'in_triage',
  'false_positive',
  'not_affected',
] as const;
export type CdxState = (typeof CDX_STATES)[number];

/** CycloneDX `analysis.justification`. */
export const CDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type CdxJustification = (typeof CDX_JUSTIFICATIONS)[number];

/** CycloneDX `analysis.response[]`. */
export const CDX_RESPONSES = [
  'can_not_fix',
  'will_not_fix',
  'update',
  'rollback',
  'workaround_available',
] as const;
export type CdxResponse = (typeof CDX_RESPONSES)[number];

/** Reading CycloneDX: state → model status. A false positive is not affected. */
export const STATUS_OF_CDX_STATE: Readonly<Record<CdxState, VexStatus>> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

/**
 * Reading CycloneDX: justification → OpenVEX's. CycloneDX's list is finer; each maps to the
 * nearest CISA justification (requirements the adversary cannot meet; protections in place).
 */
export const OPENVEX_OF_CDX_JUSTIFICATION: Readonly<Record<CdxJustification, OpenVexJustification>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/**
 * Writing CycloneDX: OpenVEX justification → state and justification. `component_not_present`
 * is CycloneDX's `false_positive` (the scanner matched the wrong component), which has none.
 */
export const CDX_OF_OPENVEX_JUSTIFICATION: Readonly<
  Record<OpenVexJustification, { state: CdxState; justification?: CdxJustification }>
> = {
  component_not_present: { state: 'false_positive' },
  vulnerable_code_not_present: { state: 'not_affected', justification: 'code_not_present' },
  vulnerable_code_not_in_execute_path: { state: 'not_affected', justification: 'code_not_reachable' },
  vulnerable_code_cannot_be_controlled_by_adversary: {
    state: 'not_affected',
    justification: 'requires_environment',
  },
  inline_mitigations_already_exist: {
    state: 'not_affected',
    justification: 'protected_by_mitigating_control',
  },
};

/** Writing CycloneDX: model status → state (justified `not_affected` goes through the table above). */
export const CDX_STATE_OF_STATUS: Readonly<Record<VexStatus, CdxState>> = {
  not_affected: 'not_affected',
  affected: 'exploitable',
  fixed: 'resolved',
  under_investigation: 'in_triage',
};

/** Wolfi false-positive types (advisory schema v2) → OpenVEX justification (vulns.md §4.3). */
export const OPENVEX_OF_WOLFI_FALSE_POSITIVE: Readonly<Record<string, OpenVexJustification | undefined>> = {
  'component-vulnerability-mismatch': 'component_not_present',
  // The record itself is disputed: no CISA justification fits; the impact statement says so.
  'vulnerability-record-analysis-contested': undefined,
  'vulnerable-code-not-included-in-package': 'vulnerable_code_not_present',
  'vulnerable-code-version-not-used': 'vulnerable_code_not_present',
  'vulnerable-code-not-in-execution-path': 'vulnerable_code_not_in_execute_path',
  'vulnerable-code-cannot-be-controlled-by-adversary': 'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline-mitigations-exist': 'inline_mitigations_already_exist',
};

/** The Wolfi false-positive type named in a free-text reason, if any. */
export function wolfiFalsePositiveType(text: string): string | undefined {
  return Object.keys(OPENVEX_OF_WOLFI_FALSE_POSITIVE).find((type) => text.includes(type));
}

export function isOpenVexJustification(value: string): value is OpenVexJustification {
  return (OPENVEX_JUSTIFICATIONS as readonly string[]).includes(value);
}
