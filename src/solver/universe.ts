/**
 * The solver's immutable view of all repositories (apk-tools' `db->available`): names with
 * provider lists in registration order, reverse edges in hash-walk order, repository bitmasks
 * and pinning tags. Built once per run and shared by any number of {@link solve} calls.
 */
import type { Dependency } from '../apk/index.js';
import { LarderError } from '../core/index.js';
import type { SolverPackage, SolverRepository } from './types.js';

/** A dependency whose name is interned. */
export interface CompiledDep {
  readonly name: number;
  readonly dep: Dependency;
}

/** A provide whose name is interned; `version` undefined = unversioned (apk's null atom). */
export interface CompiledProvide {
  readonly name: number;
  readonly version: string | undefined;
}

export interface UniversePackage {
  readonly id: number;
  readonly source: SolverPackage;
  readonly name: number;
  readonly depends: readonly CompiledDep[];
  readonly provides: readonly CompiledProvide[];
  readonly installIf: readonly CompiledDep[];
  /** `k:` as apk's unsigned short. */
  readonly priority: number;
  /** Bit i+1 = present in repository i (bit 0 is apk's cache, unused here). */
  readonly repos: number;
}

/** An entry of a name's provider list: the package and the version it provides the name at. */
export interface Provider {
  readonly pkg: number;
  readonly version: string | undefined;
}

export interface UniverseName {
  readonly name: string;
  readonly providers: readonly Provider[];
}

/**
 * Reverse edges, computed on first use and memoized: a solve touches a few hundred of the
 * ~12,000 names, so building all of them up front would dominate the run. The memo is
 * invisible to callers (same answers every time).
 */
export interface ReverseCache {
  readonly buckets: Int32Array;
  readonly rdepends: Array<readonly number[] | undefined>;
  readonly rinstallIf: Array<readonly number[] | undefined>;
}

/** Built by {@link buildUniverse}; treat as opaque. */
export interface SolverUniverse {
  readonly names: readonly UniverseName[];
  readonly nameIds: ReadonlyMap<string, number>;
  readonly packages: readonly UniversePackage[];
  /** Tag 0 is the untagged default set; others are stored with their `@`. */
  readonly tags: readonly string[];
  /** Per tag, the repositories (bits) that carry it. */
  readonly tagRepos: readonly number[];
  readonly availableRepos: number;
  /** Per name, the packages with a `D:` entry on it, in package order. */
  readonly dependents: readonly (readonly number[])[];
  /** Per name, the packages with an `i:` entry on it. */
  readonly iifDependents: readonly (readonly number[])[];
  readonly reverse: ReverseCache;
  readonly edgeOrder: EdgeOrder;
}

/**
 * Order of reverse edges. `hash` is apk's for repositories configured when the database opens
 * (the `apk` binary); `load` is apk's for indexes added after it opened, i.e. upstream's
 * `apk-test --test-repo` harness. It only changes tie orders (which name is decided first,
 * the order of `satisfies:` lists).
 */
export type EdgeOrder = 'hash' | 'load';

/** Options of {@link buildUniverse}. */
export interface BuildUniverseOptions {
  /** Default `hash`, as the `apk` binary does. */
  readonly edgeOrder?: EdgeOrder;
}

/** apk's `APK_MAX_REPOS` is 32, with bit 0 taken by the cache. */
const MAX_REPOSITORIES = 31;

interface Draft {
  names: string[];
  nameIds: Map<string, number>;
  providers: Provider[][];
}

function intern(d: Draft, name: string): number {
  let id = d.nameIds.get(name);
  if (id === undefined) {
    id = d.names.length;
    d.names.push(name);
    d.nameIds.set(name, id);
    d.providers.push([]);
  }
  return id;
}

/**
 * Builds the universe. Names are created in apk's order (each record's `P:`, then its `D:`,
 * `p:` and `i:` tokens; every real index writes them in that order), which fixes the hash walk.
 * @throws LarderError `USAGE` for more than 31 repositories.
 */
export function buildUniverse(
  repositories: readonly SolverRepository[],
  options: BuildUniverseOptions = {},
): SolverUniverse {
  if (repositories.length > MAX_REPOSITORIES) {
    throw new LarderError('USAGE', `at most ${MAX_REPOSITORIES} repositories are supported`);
  }
  const d: Draft = { names: [], nameIds: new Map(), providers: [] };
  const tags = [''];
  const tagRepos = [0];
  const packages: Array<Omit<UniversePackage, 'repos'> & { repos: number }> = [];
  const byChecksum = new Map<string, number>();
  let availableRepos = 0;
  repositories.forEach((repo, index) => {
    const bit = 2 ** (index + 1);
    availableRepos |= bit;
    const tag = repo.tag === undefined ? 0 : tagId(tags, tagRepos, `@${repo.tag}`);
    tagRepos[tag]! |= bit;
    for (const source of repo.packages) {
      const name = intern(d, source.name);
      const depends = source.depends.map((dep) => ({ name: intern(d, dep.name), dep }));
      const provides = source.provides.map((p) => ({ name: intern(d, p.name), version: p.version }));
      const installIf = source.installIf.map((dep) => ({ name: intern(d, dep.name), dep }));
      const known = byChecksum.get(source.checksum);
      if (known !== undefined) {
        // Same identity: one package present in one more repository (apk_db_pkg_add).
        packages[known]!.repos |= bit;
        continue;
      }
      const id = packages.length;
      byChecksum.set(source.checksum, id);
      packages.push({
        id,
        source,
        name,
        depends,
        provides,
        installIf,
        priority: source.providerPriority & 0xffff,
        repos: bit,
      });
      d.providers[name]!.push({ pkg: id, version: source.version });
      for (const p of provides) d.providers[p.name]!.push({ pkg: id, version: p.version });
    }
  });
  const count = d.names.length;
  const names = d.names.map((name, id) => ({ name, providers: d.providers[id]! }));
  const reverse = {
    buckets: new Int32Array(count).fill(-1),
    rdepends: new Array<readonly number[] | undefined>(count),
    rinstallIf: new Array<readonly number[] | undefined>(count),
  };
  const dependents = indexBy(count, packages, (p) => p.depends);
  const iifDependents = indexBy(count, packages, (p) => p.installIf);
  return {
    names,
    nameIds: d.nameIds,
    packages,
    tags,
    tagRepos,
    availableRepos,
    dependents,
    iifDependents,
    reverse,
    edgeOrder: options.edgeOrder ?? 'hash',
  };
}

/** Shared by every name without entries (most of them); never mutated. */
export const NONE: number[] = [];

function indexBy(
  count: number,
  packages: ReadonlyArray<Omit<UniversePackage, 'repos'>>,
  deps: (p: Omit<UniversePackage, 'repos'>) => readonly CompiledDep[],
): number[][] {
  const out = new Array<number[]>(count).fill(NONE);
  for (const p of packages) {
    for (const d of deps(p)) {
      const list = out[d.name]!;
      if (list === NONE) out[d.name] = [p.id];
      else if (list[list.length - 1] !== p.id) list.push(p.id);
    }
  }
  return out;
}

function tagId(tags: string[], tagRepos: number[], tag: string): number {
  const found = tags.indexOf(tag, 1);
  if (found > 0) return found;
  tags.push(tag);
  tagRepos.push(0);
  return tags.length - 1;
}

/** Bitmask of repositories allowed by a pinning mask (apk `apk_db_get_pinning_mask_repos`). */
export function pinningRepos(u: SolverUniverse, mask: number): number {
  let repos = 0;
  for (let i = 0; i < u.tags.length; i++) if (mask & (1 << i)) repos |= u.tagRepos[i]!;
  return repos;
}
