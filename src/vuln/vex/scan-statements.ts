// The VEX statements of a scan: what larder can state about each catalogued package, from the
// findings, the suppressions that rest on a distribution's statement, and the distribution's
// records about packages nothing matched (fixed and not-affected ones, mostly).
import { ociPurl } from '../../sbom/index.js';
import type { Catalog, CatalogedPackage, DistroRecord, Finding, SuppressedFinding } from '../model.js';
import {
  draftFromDistroRecord,
  draftFromFinding,
  notAffected,
  type VexDraft,
  type VexSubject,
} from './draft.js';

/** What a scan knows, for VEX output. */
export interface ScanVexInput {
  readonly catalog: Catalog;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Every applicable distribution record about the catalogued APK packages (newest per vulnerability). */
  readonly distroStatements?: readonly {
    readonly package: CatalogedPackage;
    readonly record: DistroRecord;
  }[];
}

/**
 * One statement per (product, package, vulnerability), merged where they say the same thing.
 * The product is the image (`pkg:oci/<name>@<digest>`, no qualifiers) with the package purl as
 * subcomponent when the target is an image with a known digest, else the package purl.
 * Package purls lose their qualifiers (`?arch=...&distro=...`): a qualifier in a VEX purl must
 * be present in the scanner's purl to match (go-vex), and scanners write different ones.
 * Precedence, first wins: findings (and those only hidden by `--only-fixed` or an ignore
 * rule: they are still affected), then suppressions by a distribution's not-affected or by the
 * owning APK's fix, then the distribution's records. Suppressions by someone else's VEX are
 * not restated.
 */
export function vexDraftsFromScan(input: ScanVexInput): VexDraft[] {
  const image = imageProduct(input.catalog);
  const subject = (pkg: CatalogedPackage): VexSubject => {
    const purl = plainPurl(pkg.purl);
    return image === undefined
      ? { product: purl, installedVersion: pkg.version }
      : { product: image, subcomponent: purl, installedVersion: pkg.version };
  };
  const drafts: VexDraft[] = [];
  for (const finding of input.findings) drafts.push(draftFromFinding(finding, subject(finding.package)));
  for (const { finding, reason } of input.suppressed) {
    if (reason.kind === 'only-fixed' || reason.kind === 'ignore-rule')
      drafts.push(draftFromFinding(finding, subject(finding.package)));
  }
  for (const { finding, reason } of input.suppressed) {
    const at = subject(finding.package);
    const named = draftFromFinding(finding, at);
    const base = {
      vulnerability: named.vulnerability,
      aliases: named.aliases,
      products: named.products,
      subcomponents: named.subcomponents,
      source: reason.source,
    };
    if (reason.kind === 'distro-not-affected') drafts.push({ ...base, ...notAffected(reason.detail) });
    else if (reason.kind === 'distro-fixed-owner')
      drafts.push({ ...base, status: 'fixed', statusNotes: reason.detail });
  }
  for (const { package: pkg, record } of input.distroStatements ?? [])
    drafts.push(draftFromDistroRecord(record, subject(pkg)));
  return mergeDrafts(firstPerSubject(drafts), image !== undefined);
}

/** The image purl of a catalog, when it names an image by digest. */
export function imageProduct(catalog: Catalog): string | undefined {
  const digest = catalog.source.digest;
  if (digest === undefined) return undefined;
  return ociPurl({ name: catalog.source.names?.[0] ?? catalog.source.target, digest });
}

/** A purl without qualifiers and subpath. */
export function plainPurl(purl: string): string {
  return purl.replace(/[?#].*$/, '');
}

function firstPerSubject(drafts: readonly VexDraft[]): VexDraft[] {
  const seen = new Set<string>();
  return drafts.filter((d) => {
    const key = `${d.products.join(' ')}|${d.subcomponents.join(' ')}|${d.vulnerability}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Statements equal but for their package (subcomponent under an image, else product) become one. */
function mergeDrafts(drafts: readonly VexDraft[], underImage: boolean): VexDraft[] {
  const groups = new Map<string, VexDraft>();
  for (const draft of drafts) {
    const key = JSON.stringify({
      ...draft,
      source: undefined,
      products: underImage ? draft.products : [],
      subcomponents: underImage ? [] : draft.subcomponents,
    });
    const seen = groups.get(key);
    if (seen === undefined) groups.set(key, draft);
    else if (underImage)
      groups.set(key, {
        ...seen,
        subcomponents: [...new Set([...seen.subcomponents, ...draft.subcomponents])],
      });
    else groups.set(key, { ...seen, products: [...new Set([...seen.products, ...draft.products])] });
  }
  return [...groups.values()]
    .map((d) => ({
      ...d,
      products: [...d.products].sort(byText),
      subcomponents: [...d.subcomponents].sort(byText),
    }))
    .sort(
      (a, b) =>
        byText(a.vulnerability, b.vulnerability) ||
        byText(a.products.join(' '), b.products.join(' ')) ||
        byText(a.subcomponents.join(' '), b.subcomponents.join(' ')) ||
        byText(a.status, b.status),
    );
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
