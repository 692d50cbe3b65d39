/** The published repository, indexed for planning: per arch, per origin recipe. */
import type { FactoryArch } from '../model.js';
import type { PublishedPackage } from './input.js';

/** What one origin recipe has published on one arch. */
export interface OriginState {
  /** Per `<version>-r<epoch>`: the package that stands for the build (the main package when present). */
  readonly byVersion: ReadonlyMap<string, PublishedPackage>;
  /** The most recently built of its packages (what a dependent build would pick up last). */
  readonly latest: PublishedPackage;
  /** `latest.builtAt` in ms. */
  readonly latestMs: number;
}

export type RepositoryIndex = ReadonlyMap<FactoryArch, ReadonlyMap<string, OriginState>>;

/** Times as ms; an unparseable time counts as the epoch (oldest), so it never hides a rebuild. */
export function timeMs(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

type Mutable = { byVersion: Map<string, PublishedPackage>; latest: PublishedPackage; latestMs: number };

export function indexRepository(
  repository: Readonly<Record<string, readonly PublishedPackage[]>>,
): RepositoryIndex {
  const index = new Map<FactoryArch, Map<string, Mutable>>();
  for (const arch of Object.keys(repository).sort()) {
    const origins = new Map<string, Mutable>();
    for (const pkg of repository[arch] ?? []) {
      const state = origins.get(pkg.origin);
      if (!state) {
        origins.set(pkg.origin, {
          byVersion: new Map([[pkg.version, pkg]]),
          latest: pkg,
          latestMs: timeMs(pkg.builtAt),
        });
        continue;
      }
      const held = state.byVersion.get(pkg.version);
      if (!held || represents(pkg, held)) state.byVersion.set(pkg.version, pkg);
      const ms = timeMs(pkg.builtAt);
      if (ms > state.latestMs) {
        state.latest = pkg;
        state.latestMs = ms;
      }
    }
    index.set(arch, origins);
  }
  return index;
}

/** The main package (name = origin) stands for its build; otherwise the first name. */
function represents(candidate: PublishedPackage, held: PublishedPackage): boolean {
  if (held.name === held.origin) return false;
  return candidate.name === candidate.origin || candidate.name < held.name;
}
