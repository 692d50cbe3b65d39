/**
 * The solver's immutable view of all repositories (apk-tools' `db->available`): names with
 * provider lists in registration order, reverse edges in hash-walk order, repository bitmasks
 * and pinning tags. Built once per run and shared by any number of {@link solve} calls.
 *
 * Loops are indexed rather than for-of: a solve runs mostly before V8 optimizes it, and there
 * for-of costs an iterator call and a result object per step (about 3x slower, measured).
 */
import type { Dependency, Provide } from '../apk/index.js';
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
  /** The providing package: the same object is the name's {@link Provider} entry. */
  readonly pkg: number;
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
  /**
   * Compiled entries by dependency object: fromIndexRecords shares one object per distinct
   * string, so ~15,000 entries of a real index compile to ~4,000 objects.
   */
  compiled: Map<Dependency, CompiledDep>;
}

function intern(d: Draft, name: string): number {
  let id = d.nameIds.get(name);
  if (id === undefined) {
    id = d.names.length;
    d.names.push(name);
    d.nameIds.set(name, id);
    d.providers.push(NO_PROVIDERS);
  }
  return id;
}

/** Shared by packages without entries of a kind (most have no `i:`); never mutated. */
const EMPTY: readonly never[] = [];
/** Shared by names nobody provides; replaced on the first provider, never mutated. */
const NO_PROVIDERS: Provider[] = [];

function addProvider(d: Draft, name: number, provider: Provider): void {
  // Most names have one provider: a one-element literal, where push on an empty array would
  // reserve 17 slots (the bulk of what building a universe allocated).
  const list = d.providers[name]!;
  if (list === NO_PROVIDERS) d.providers[name] = [provider];
  else list.push(provider);
}

function compileDeps(d: Draft, deps: readonly Dependency[]): readonly CompiledDep[] {
  if (deps.length === 0) return EMPTY;
  const out = new Array<CompiledDep>(deps.length);
  for (let depi = 0; depi < deps.length; depi++) {
    const dep = deps[depi]!;
    // A dependency met before has its name interned already, so the name order is unchanged.
    let c = d.compiled.get(dep);
    if (c === undefined) {
      c = { name: intern(d, dep.name), dep };
      d.compiled.set(dep, c);
    }
    out[depi] = c;
  }
  return out;
}

function compileProvides(d: Draft, provides: readonly Provide[], pkg: number): readonly CompiledProvide[] {
  if (provides.length === 0) return EMPTY;
  const out = new Array<CompiledProvide>(provides.length);
  for (let pi = 0; pi < provides.length; pi++) {
    const p = provides[pi]!;
    out[pi] = { name: intern(d, p.name), version: p.version, pkg };
  }
  return out;
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
  const d: Draft = { names: [], nameIds: new Map(), providers: [], compiled: new Map() };
  const tags = [''];
  const tagRepos = [0];
  const packages: Array<Omit<UniversePackage, 'repos'> & { repos: number }> = [];
  const byChecksum = new Map<string, number>();
  let availableRepos = 0;
  for (let index = 0; index < repositories.length; index++) {
    const repo = repositories[index]!;
    const bit = 2 ** (index + 1);
    availableRepos |= bit;
    const tag = repo.tag === undefined ? 0 : tagId(tags, tagRepos, `@${repo.tag}`);
    tagRepos[tag]! |= bit;
    for (let sourcei = 0, sources = repo.packages; sourcei < sources.length; sourcei++) {
      const source = sources[sourcei]!;
      const name = intern(d, source.name);
      const depends = compileDeps(d, source.depends);
      const id = packages.length;
      const provides = compileProvides(d, source.provides, id);
      const installIf = compileDeps(d, source.installIf);
      const known = byChecksum.get(source.checksum);
      if (known !== undefined) {
        // Same identity: one package present in one more repository (apk_db_pkg_add).
        packages[known]!.repos |= bit;
        continue;
      }
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
      addProvider(d, name, { pkg: id, version: source.version });
      for (let pi = 0; pi < provides.length; pi++) addProvider(d, provides[pi]!.name, provides[pi]!);
    }
  }
  const count = d.names.length;
  const names: UniverseName[] = [];
  for (let id = 0; id < count; id++) names.push({ name: d.names[id]!, providers: d.providers[id]! });
  const reverse = {
    buckets: new Int32Array(count).fill(-1),
    rdepends: new Array<readonly number[] | undefined>(count),
    rinstallIf: new Array<readonly number[] | undefined>(count),
  };
  return {
    names,
    nameIds: d.nameIds,
    packages,
    tags,
    tagRepos,
    availableRepos,
    dependents: indexBy(count, packages, false),
    iifDependents: indexBy(count, packages, true),
    reverse,
    edgeOrder: options.edgeOrder ?? 'hash',
  };
}

/** Shared by every name without entries (most of them); never mutated. */
export const NONE: number[] = [];

function indexBy(
  count: number,
  packages: ReadonlyArray<Omit<UniversePackage, 'repos'>>,
  installIf: boolean,
): number[][] {
  const out = new Array<number[]>(count).fill(NONE);
  for (let pi = 0; pi < packages.length; pi++) {
    const p = packages[pi]!;
    const ds = installIf ? p.installIf : p.depends;
    for (let di = 0; di < ds.length; di++) {
      const d = ds[di]!;
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
