import type { InstalledPackage } from '../../apk/index.js';
import type { PackageSource } from '../../image/index.js';
import type { LayerBlob, LayerInput, OCIContainerConfig, OCIHistory } from '../../oci/index.js';
import type { TreeSnapshot } from '../rootfs/index.js';

/** Docker's default PATH, set for RUN and in the image when the base has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Docker's default `SHELL` on Linux. */
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The mutable state of one stage while its instructions run. */
export interface StageState {
  /** The stage's name, or its index as text. */
  readonly label: string;
  /** The stage's filesystem: a real directory (ownership is real: we run as root). */
  readonly root: string;
  /** Every layer, bottom first: the base's, then one per instruction that changed files. */
  readonly layers: LayerInput[];
  /** The layers this build wrote (not a base image's), bottom first. */
  readonly built: LayerBlob[];
  readonly history: OCIHistory[];
  /** The container config being built (Env, User, WorkingDir, Entrypoint, Cmd, ...). */
  config: Mutable<OCIContainerConfig>;
  author?: string;
  /** ENV, in order (the image's Env). */
  readonly env: Map<string, string>;
  /** ARGs declared in this stage: their values (undefined when declared without one). */
  readonly args: Map<string, string | undefined>;
  /** The installed database as `RUN apk add` last left it (re-read from disk at the end). */
  installed: InstalledPackage[];
  /** Packages fetched for this stage (by its `larder:` base and by `RUN apk add`). */
  readonly sources: PackageSource[];
  /** Where `RUN apk add` resolves from. */
  readonly repositories: string[];
  readonly keys: Array<{ readonly name: string; readonly pem: string }>;
  /** Whether CMD came from the base (an ENTRYPOINT then resets it, as Docker does). */
  cmdFromBase: boolean;
  /**
   * The root as the last diff left it, the `before` of the next step; undefined when something
   * else changed the root since (`RUN apk add`, a new stage), so the next step walks it again.
   */
  snapshot?: TreeSnapshot | undefined;
}

/** The variables `$NAME` expands to in a stage: ENV first, then the stage's ARGs. */
export function stageLookup(state: StageState): (name: string) => string | undefined {
  return (name) => state.env.get(name) ?? state.args.get(name);
}

/** Env for RUN: the ARGs with values, under the ENV (ENV wins), then the proxy args. */
export function runEnvironment(
  state: StageState,
  proxies: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = { ...proxies };
  for (const [k, v] of state.args) if (v !== undefined) env[k] = v;
  for (const [k, v] of state.env) env[k] = v;
  if (env.PATH === undefined) env.PATH = DEFAULT_PATH;
  return env;
}

/** Reads `Env` (`K=V` strings) into an ordered map. */
export function envMap(env: readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of env ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    out.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return out;
}

/** The container config with `Env` from the state's map. */
export function finalConfig(state: StageState): OCIContainerConfig {
  const env = [...state.env].map(([k, v]) => `${k}=${v}`);
  const { Env: _, ...rest } = state.config;
  return env.length > 0 ? { ...rest, Env: env } : rest;
}
