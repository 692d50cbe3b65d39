import { dependencyMatches, type PackageRecord, parseDependency } from '../../apk/index.js';
import { compareBytes } from '../assemble/tree.js';

/** What the `origin` strategy needs to know about an installed package. */
export type LayerPackage = Pick<PackageRecord, 'name' | 'version' | 'origin' | 'installedSize' | 'replaces'>;

/** Packages that share one layer. */
export interface PackageGroup {
  /** Sorted by name (byte order). */
  readonly packages: readonly LayerPackage[];
  /** Sum of the packages' installed sizes (`I:`). */
  readonly size: number;
  /** The greatest package name: orders groups of equal size. */
  readonly tiebreaker: string;
}

/**
 * apko's `origin` layering strategy (docs/layering.md, `groupByOriginAndSize`): packages of one
 * `origin` share a group; a package whose `replaces` matches a package of another group (name and
 * version constraint) merges the two groups, so the overwritten files never sit in a layer above
 * their replacement; groups are then ordered by installed size, largest first (ties: the smaller
 * greatest package name first), and when there are more than `budget` groups the first
 * `budget - 1` are kept and the rest merge into one. The result is the package layers, bottom
 * first. A package without an origin groups with the others that have none, as apko's empty
 * string does. `budget` below 1 counts as 1 (apko's zero value); the config rejects it earlier.
 *
 * @throws LarderError DEPENDENCY_INVALID for a `replaces` entry that is not a dependency string.
 */
export function groupPackages(packages: readonly LayerPackage[], budget: number): PackageGroup[] {
  const sets = new DisjointSets();
  const byName = new Map<string, LayerPackage>();
  const firstOfOrigin = new Map<string, string>();
  for (const pkg of packages) {
    byName.set(pkg.name, pkg);
    const origin = pkg.origin ?? '';
    const first = firstOfOrigin.get(origin);
    if (first === undefined) firstOfOrigin.set(origin, pkg.name);
    else sets.union(first, pkg.name);
  }
  for (const pkg of packages) {
    for (const word of pkg.replaces) {
      const dep = parseDependency(word);
      const replaced = byName.get(dep.name);
      // apko checks the constraint against the packages of the replaced name's group.
      if (
        replaced === undefined ||
        !dependencyMatches({ ...dep, conflict: false }, replaced.name, replaced.version)
      )
        continue;
      sets.union(pkg.name, replaced.name);
    }
  }
  const members = new Map<string, LayerPackage[]>();
  for (const pkg of packages) {
    const root = sets.find(pkg.name);
    const list = members.get(root);
    if (list === undefined) members.set(root, [pkg]);
    else list.push(pkg);
  }
  const groups = [...members.values()].map(toGroup);
  groups.sort((a, b) => b.size - a.size || compareBytes(a.tiebreaker, b.tiebreaker));
  const limit = Math.max(1, Math.floor(budget));
  if (groups.length <= limit) return groups;
  const kept = groups.slice(0, limit - 1);
  kept.push(toGroup(groups.slice(limit - 1).flatMap((g) => g.packages)));
  return kept;
}

function toGroup(packages: readonly LayerPackage[]): PackageGroup {
  const sorted = [...packages].sort((a, b) => compareBytes(a.name, b.name));
  let size = 0;
  let tiebreaker = '';
  for (const pkg of sorted) {
    size += pkg.installedSize ?? 0;
    if (compareBytes(pkg.name, tiebreaker) > 0) tiebreaker = pkg.name;
  }
  return { packages: sorted, size, tiebreaker };
}

/** Union-find over package names: merging is order-independent, as apko's map walk needs. */
class DisjointSets {
  private readonly parent = new Map<string, string>();

  find(name: string): string {
    let root = name;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root))
      root = next;
    this.parent.set(name, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}
