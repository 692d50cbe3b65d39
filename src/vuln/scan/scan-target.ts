// `larder scan`: catalogue a target, match it against the vulnerability data (VEX applied),
// then the user's ignore rules and --only-fixed; the outcome is what reports render.
import { type CatalogOptions, catalogTarget } from '../catalog/index.js';
import { matchCatalog } from '../match/index.js';
import type { Catalog, Distro, Finding, VexStatement, VulnMeta, VulnSource } from '../model.js';
import { applyIgnoreRules, applyOnlyFixed, type IgnoreRule, type ScanReport } from '../report/index.js';

/** Options of {@link scanCatalog} and {@link scanTarget}. */
export interface ScanOptions {
  readonly source: VulnSource;
  /** Labels of the data consulted (`db:<file>`...), for reports. */
  readonly dataSources: readonly string[];
  readonly vex?: readonly VexStatement[];
  readonly ignoreRules?: readonly IgnoreRule[];
  readonly onlyFixed?: boolean;
  /** `--distro`: the distribution to match APKs for, over what the target says. */
  readonly distro?: Distro;
  readonly tool: { readonly name: string; readonly version: string };
}

/** A scan's report, with what people should hear about besides. */
export interface ScanOutcome extends ScanReport {
  /** Files that could not be read, records that could not be evaluated. */
  readonly warnings: readonly string[];
  /** Ignore rules that matched nothing. */
  readonly unusedIgnoreRules: readonly IgnoreRule[];
}

/**
 * What the source knows about each vulnerability found (summary, references), for reports
 * that show it (SARIF). Asked only then: a database lookup per id costs more than matching.
 */
export function findingsMeta(findings: readonly Finding[], source: VulnSource): Map<string, VulnMeta> {
  const out = new Map<string, VulnMeta>();
  for (const f of findings) {
    if (out.has(f.vulnerability)) continue;
    const meta = source.vulnerability(f.vulnerability);
    if (meta !== undefined) out.set(f.vulnerability, meta);
  }
  return out;
}

/** Catalogues `target` (see catalogTarget) and scans the catalog. */
export async function scanTarget(
  target: string,
  options: ScanOptions & Pick<CatalogOptions, 'platform' | 'registry'>,
): Promise<ScanOutcome> {
  const catalog = await catalogTarget(target, {
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.distro === undefined ? {} : { distro: options.distro }),
  });
  return scanCatalog(catalog, options);
}

/**
 * Matches a catalog (VEX applied by the matcher), then moves findings that an ignore rule
 * matches, and with `onlyFixed` those without a fix, to the suppressed list.
 */
export function scanCatalog(catalog: Catalog, options: ScanOptions): ScanOutcome {
  const matched = matchCatalog(catalog, options.source, {
    ...(options.vex === undefined ? {} : { vex: options.vex }),
    ...(options.distro === undefined ? {} : { distro: options.distro }),
  });
  const ignored = applyIgnoreRules(matched.findings, options.ignoreRules ?? []);
  const onlyFixed =
    options.onlyFixed === true
      ? applyOnlyFixed(ignored.findings)
      : { findings: ignored.findings, suppressed: [] };
  return {
    catalog,
    findings: onlyFixed.findings,
    suppressed: [...matched.suppressed, ...ignored.suppressed, ...onlyFixed.suppressed],
    dataSources: options.dataSources,
    tool: options.tool,
    warnings: [...(catalog.warnings ?? []), ...matched.warnings],
    unusedIgnoreRules: ignored.unused,
  };
}
