import type { ApkArch } from '../../apk/index.js';
import { formatPlatform, platformFor } from '../../oci/index.js';

/** Args BuildKit defines for every build: usable in FROM, and in a stage after a bare `ARG NAME`. */
export function platformArgs(arch: ApkArch): Record<string, string> {
  const p = platformFor(arch);
  const variant = p.variant ?? '';
  const platform = formatPlatform(p);
  return {
    TARGETPLATFORM: platform,
    TARGETOS: p.os,
    TARGETARCH: p.architecture,
    TARGETVARIANT: variant,
    BUILDPLATFORM: platform,
    BUILDOS: p.os,
    BUILDARCH: p.architecture,
    BUILDVARIANT: variant,
  };
}

/** Proxy args: passed to RUN from `--build-arg` without an `ARG` (and kept out of history), as Docker does. */
export const PROXY_ARGS: readonly string[] = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

/**
 * The ARG values of a build. `global` holds the ARGs before the first FROM (their defaults,
 * overridden by `--build-arg`) plus the platform args; each stage starts empty and gets a
 * value for every `ARG` it declares: the `--build-arg`, else the default written, else the
 * global value of the same name (BuildKit's scoping rules).
 */
export class BuildArgs {
  private readonly used = new Set<string>();
  readonly global = new Map<string, string>();

  constructor(
    private readonly given: Readonly<Record<string, string>>,
    private readonly predefined: Readonly<Record<string, string>>,
  ) {
    for (const [k, v] of Object.entries(predefined)) this.global.set(k, v);
  }

  /** A global `ARG NAME[=default]`: `expand` expands the default against the globals so far. */
  declareGlobal(name: string, value: string | undefined): void {
    const chosen = this.take(name) ?? value;
    if (chosen !== undefined) this.global.set(name, chosen);
    else this.global.delete(name);
  }

  /** The value a stage's `ARG NAME[=default]` gets (undefined: declared without a value). */
  stageValue(name: string, value: string | undefined): string | undefined {
    return this.take(name) ?? value ?? this.global.get(name);
  }

  /** The proxy args given, for RUN's environment. */
  proxies(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of PROXY_ARGS) {
      const v = this.given[name];
      if (v !== undefined) {
        out[name] = v;
        this.used.add(name);
      }
    }
    return out;
  }

  /** `--build-arg`s that no ARG consumed (Docker's warning). */
  unused(): string[] {
    return Object.keys(this.given)
      .filter((k) => !this.used.has(k) && !(k in this.predefined))
      .sort();
  }

  private take(name: string): string | undefined {
    if (!Object.hasOwn(this.given, name)) return undefined;
    this.used.add(name);
    return this.given[name];
  }
}
