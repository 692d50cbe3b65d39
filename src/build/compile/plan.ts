/**
 * The build plan: a recipe compiled to plain, JSON-serialisable data. Every substitution is
 * made, `uses:` is expanded, conditions are evaluated; a runner only executes it.
 */
import type { PackageMetadata } from './metadata.js';

/** Users and groups of the build guest. */
export interface PlanAccounts {
  readonly runAs?: string;
  readonly users: readonly {
    readonly username: string;
    readonly uid: number;
    readonly gid: number;
    readonly homedir?: string;
    readonly shell?: string;
  }[];
  readonly groups: readonly {
    readonly groupname: string;
    readonly gid: number;
    readonly members: readonly string[];
  }[];
}

/** A shell step run inside the sandbox as `/bin/sh -c script`. */
export interface ShellStep {
  readonly kind: 'run';
  /** The step's name, or the pipeline it came from (`autoconf/make`), or `???` as melange says. */
  readonly name: string;
  /** Absolute working directory in the guest. */
  readonly workdir: string;
  /** Environment overrides for this step (PATH and the step's own). */
  readonly environment: Readonly<Record<string, string>>;
  /** The full script melange runs: `set -eo pipefail`, mkdir+cd workdir, the step, `exit 0`. */
  readonly script: string;
}

/** A source step run outside the sandbox (`fetch` or `git-checkout`), with its inputs. */
export interface SourceStep {
  readonly kind: 'fetch' | 'git-checkout';
  readonly name: string;
  readonly workdir: string;
  /** Every input after defaults and substitutions (`uri`, `expected-sha256`, …). */
  readonly inputs: Readonly<Record<string, string>>;
}

/** One step of a plan. */
export type PlanStep = ShellStep | SourceStep;

/** A package's tests: extra guest packages and the steps. */
export interface TestPlan {
  readonly packages: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly steps: readonly PlanStep[];
}

/** One package to emit (the main package or a subpackage). */
export interface PackagePlan {
  readonly name: string;
  /** What its `.PKGINFO` needs: description, url, commit, dependencies, options, scriptlets. */
  readonly metadata: PackageMetadata;
  /** The staging directory its files are taken from (`/home/build/melange-out/NAME`). */
  readonly destdir: string;
  readonly steps: readonly PlanStep[];
  readonly test?: TestPlan;
}

/** A compiled recipe. */
export interface BuildPlan {
  readonly file: string;
  readonly arch: string;
  readonly package: {
    readonly name: string;
    readonly version: string;
    readonly epoch: number;
    readonly fullVersion: string;
    /** `copyright[]`: one licence each (`.PKGINFO` license), attestation for the SBOM. */
    readonly copyright: readonly { readonly license: string; readonly attestation?: string }[];
  };
  /** Guest packages: `environment.contents.packages` plus every running pipeline's `needs`. */
  readonly environment: {
    readonly packages: readonly string[];
    readonly repositories: readonly string[];
    readonly keyring: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    /** The recipe's accounts, with melange's `build` user and group (1000) added when absent. */
    readonly accounts: PlanAccounts;
  };
  /** The main package first, then each subpackage whose `if` holds, in order. */
  readonly packages: readonly PackagePlan[];
}
