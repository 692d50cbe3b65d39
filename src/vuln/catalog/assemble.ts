// The last step of every target: ids (unique within the catalog), ownership links from language
// packages to the APK that owns their file, and one stable order.
import type { Catalog, CatalogedPackage, Distro, Ecosystem } from '../model.js';
import type { PackageDraft } from './package-draft.js';

/** A language package with, when known, the index (in `apks`) of the APK owning its file. */
export interface OwnedDraft {
  readonly draft: PackageDraft;
  readonly owner?: number;
}

/** Everything a catalog is made from. */
export interface CatalogParts {
  readonly source: Catalog['source'];
  readonly distro?: Distro;
  readonly apks: readonly PackageDraft[];
  readonly language: readonly OwnedDraft[];
  readonly warnings: readonly string[];
}

const ECOSYSTEM_ORDER: readonly Ecosystem[] = ['apk', 'go', 'pypi', 'npm', 'maven', 'cargo'];

/**
 * Makes the catalog. Ids are `${ecosystem}:${name}@${version}`; when several packages share one
 * (the same Go module in two binaries, catalog.md trap T6), each gets `#${first location}` too.
 * Exact duplicates (same id and location) are kept once. Packages are sorted by ecosystem (in
 * the order apk, go, pypi, npm, maven, cargo), name, version and first location.
 */
export function assembleCatalog(parts: CatalogParts): Catalog {
  const all = [...parts.apks.map((draft) => ({ draft })), ...parts.language];
  const base = all.map(({ draft }) => `${draft.ecosystem}:${draft.name}@${draft.version}`);
  const counts = new Map<string, number>();
  for (const id of base) counts.set(id, (counts.get(id) ?? 0) + 1);
  const ids = all.map(({ draft }, i) => {
    const id = base[i]!;
    return counts.get(id)! > 1 ? `${id}#${draft.locations[0] ?? ''}` : id;
  });
  const seen = new Set<string>();
  const packages: CatalogedPackage[] = [];
  all.forEach((entry, i) => {
    const id = ids[i]!;
    if (seen.has(id)) return;
    seen.add(id);
    const owner = 'owner' in entry && entry.owner !== undefined ? ids[entry.owner] : undefined;
    packages.push({ id, ...entry.draft, ...(owner === undefined ? {} : { ownedBy: owner }) });
  });
  packages.sort(comparePackages);
  return {
    source: parts.source,
    ...(parts.distro === undefined ? {} : { distro: parts.distro }),
    packages,
    ...(parts.warnings.length === 0 ? {} : { warnings: [...parts.warnings] }),
  };
}

function comparePackages(a: CatalogedPackage, b: CatalogedPackage): number {
  return (
    ECOSYSTEM_ORDER.indexOf(a.ecosystem) - ECOSYSTEM_ORDER.indexOf(b.ecosystem) ||
    compare(a.name, b.name) ||
    compare(a.version, b.version) ||
    compare(a.locations[0] ?? '', b.locations[0] ?? '') ||
    compare(a.id, b.id)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
