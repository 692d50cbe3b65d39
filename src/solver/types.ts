/**
 * The solver's own input and output types (solver.md §1). The solver never sees APKINDEX text:
 * adapters such as {@link fromIndexRecord} build these, so tests and other sources can too.
 */
import type { Dependency, Provide } from '../apk/index.js';
import type { WorldDependency } from './world-dependency.js';

/** One package as the solver sees it (apk-tools `struct apk_package`, minus what it ignores). */
export interface SolverPackage {
  readonly name: string;
  readonly version: string;
  /**
   * `C:` identity. Two records with the same checksum are ONE package present in both
   * repositories (apk `apk_db_pkg_add`); same name+version with another checksum is a second one.
   */
  readonly checksum: string;
  /** `D:` in order, conflicts (`!name`) included. */
  readonly depends: readonly Dependency[];
  /** `p:` in order; a provide without version is "unversioned" (solver.md T5, T6). */
  readonly provides: readonly Provide[];
  /** `i:` in order. */
  readonly installIf: readonly Dependency[];
  /** `k:`; apk stores it in an unsigned short, so the solver uses it modulo 65536 (T20). */
  readonly providerPriority: number;
  /** `I:`; 0 makes the package always selectable and always pin-preferred (T14). */
  readonly installedSize: number;
  /** `A:`; carried for callers, never read by the solver (T19). */
  readonly arch?: string;
}

/** One configured repository, in configuration order (the order is a tie-break, T12). */
export interface SolverRepository {
  /** Pinning tag without the `@` (`edge` for `@edge https://…`); untagged when absent. */
  readonly tag?: string;
  readonly packages: readonly SolverPackage[];
}

/** Who asked for a constraint: the world (an `apk add` argument) or a selected package. */
export type SolverRequirer =
  | { readonly kind: 'world'; readonly dependency: string }
  | {
      readonly kind: 'package';
      readonly name: string;
      readonly version: string;
      readonly dependency: string;
    };

/** A package in a problem report. */
export interface SolverPackageRef {
  readonly name: string;
  readonly version: string;
}

/** Why a provider of a name was not (or could not be) chosen. */
export type CandidateVerdict =
  /** An unversioned provide without `k:` is never picked on its own (solver.md E5, T4). */
  | { readonly kind: 'not-auto-selectable' }
  /** The solver ruled the package out; `reason` is apk's own wording, `detail` says by what. */
  | { readonly kind: 'disqualified'; readonly reason: DisqualifyReason; readonly detail: string }
  /** Still a valid candidate when the solver gave up on the name. */
  | { readonly kind: 'selectable' };

/** apk-tools' `disqualify_package` reasons. */
export type DisqualifyReason =
  | 'conflicting dependency'
  | 'dependency no longer satisfiable'
  | 'provides transitivity'
  | 'conflicting provides';

export interface SolverCandidate {
  readonly package: SolverPackageRef;
  /** The version it provides the name with; absent for an unversioned provide. */
  readonly providedVersion?: string;
  readonly verdict: CandidateVerdict;
}

/** A `conflicts:` entry: another selected package provides the same name with a version. */
export interface SolverConflict {
  readonly package: SolverPackageRef;
  /** The provide of the reported package that clashes (`cmd:clang=14.0.6-r1`); absent for its own name. */
  readonly provide?: string;
}

/**
 * One explained failure, in the order apk prints them (`apk_solver_print_errors`).
 * Plain data: serializes with JSON.stringify.
 */
export type SolverProblem =
  /** A required name nothing provides (E24). */
  | {
      readonly kind: 'no-such-package';
      readonly name: string;
      readonly requiredBy: readonly SolverRequirer[];
    }
  /** A required name whose providers none was auto-selected (E5). */
  | {
      readonly kind: 'virtual';
      readonly name: string;
      /** apk's `provided by:` words: a bare name when all its versions provide it, else `name-ver`. */
      readonly providedBy: readonly string[];
      readonly candidates: readonly SolverCandidate[];
      readonly requiredBy: readonly SolverRequirer[];
    }
  /** A selected package that is broken (E15–E17, E20). */
  | {
      readonly kind: 'package';
      readonly package: SolverPackageRef;
      /** `masked in:` tags (with `@`) when pinning does not allow it (upstream pinning11). */
      readonly maskedIn: readonly string[];
      readonly conflicts: readonly SolverConflict[];
      /** Constraints of the world or of selected packages that this package violates. */
      readonly breaks: readonly SolverRequirer[];
      /** Constraints it fulfils; apk lists them only when one of the lines above is present. */
      readonly satisfies: readonly SolverRequirer[];
      /** Why the solver had ruled it out before it was chosen anyway, when it had. */
      readonly disqualified?: { readonly reason: DisqualifyReason; readonly detail: string };
    }
  /**
   * A selected package whose dependency is not met, or depends on a broken one. apk counts it
   * in the exit status but prints no block (E17); rendered only with `extended`.
   */
  | {
      readonly kind: 'unfulfilled-dependency';
      readonly package: SolverPackageRef;
      readonly dependency: string;
      /** What the dependency's name resolved to, if anything. */
      readonly chosen?: SolverPackageRef;
      readonly propagated: boolean;
    }
  /** A world dependency pinned to a tag no repository carries (E25); the solver did not run. */
  | { readonly kind: 'missing-tag'; readonly tag: string; readonly dependency: string };

/** The result of {@link solve}. */
export type SolveResult =
  | {
      readonly ok: true;
      /** apk's `(i/N) Installing` order for `apk add --simulate` into an empty root. */
      readonly install: readonly SolverPackage[];
      /** Parallel to `install`: the pinning tag apk prints as `name@tag`, or '' for none. */
      readonly installTags: readonly string[];
    }
  | {
      readonly ok: false;
      /** apk's exit status: the error count capped at 99; 99 for missing tags (E25). */
      readonly exitStatus: number;
      readonly problems: readonly SolverProblem[];
      /** The best-effort changeset apk computed before refusing to commit. */
      readonly install: readonly SolverPackage[];
      readonly installTags: readonly string[];
    };

/** Options of {@link solve}. */
export interface SolveOptions {
  /**
   * Dependencies already in `/etc/apk/world`. Unlike the `apk add` arguments they are not
   * flagged (`solver_flags_set`), which changes the decision order (solver.md T3, E22).
   * Arguments replace entries of the same name, as `apk_deps_add` does.
   */
  readonly baseWorld?: readonly WorldDependency[];
}
