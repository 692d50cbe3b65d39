// What every report renders: the outcome of one scan.
import type { Catalog, Finding, SuppressedFinding, VulnMeta } from '../model.js';

/** One scan's outcome, as reports and policies read it. */
export interface ScanReport {
  readonly catalog: Catalog;
  /** Findings left after VEX, ignore rules and `--only-fixed`. */
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** The data sources consulted, as given (`db:<file>`, `advisories:<dir>`, `secdb:<file>`, `osv:<dir>`). */
  readonly dataSources: readonly string[];
  /** What the database knows about each vulnerability found (summary, references), by finding id. */
  readonly vulnerabilities?: ReadonlyMap<string, VulnMeta>;
  /** `larder <version>`. */
  readonly tool: { readonly name: string; readonly version: string };
}
