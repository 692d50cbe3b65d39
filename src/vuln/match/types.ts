// What matching takes and returns, beyond the shared model.
import type { Distro, Finding, SuppressedFinding, VexStatement } from '../model.js';

/** Options of `matchCatalog`. */
export interface MatchOptions {
  /** VEX statements (OpenVEX, CycloneDX VEX, or made from advisories) to apply to the findings. */
  readonly vex?: readonly VexStatement[];
  /** The distribution to match APK packages for, overriding `catalog.distro` (`--distro`). */
  readonly distro?: Distro;
}

/** Findings, what statements removed, and what could not be evaluated. */
export interface MatchResult {
  /** Sorted: severity (highest first), package name, vulnerability id. */
  findings: Finding[];
  /** Same order as `findings`. */
  suppressed: SuppressedFinding[];
  /** One line each: a version no order reads, a record with a bad fixed version, mixed namespaces. */
  warnings: string[];
}
