import type { ImageConfig } from '../config/model.js';
import { shellSplit } from './shlex.js';

/** The container part of an OCI image config, as apko derives it from an image config. */
export interface ContainerConfig {
  readonly Entrypoint?: string[];
  readonly Cmd?: string[];
  readonly Env?: string[];
  readonly WorkingDir?: string;
  readonly User?: string;
  readonly StopSignal?: string;
  readonly Volumes?: Record<string, Record<string, never>>;
  readonly Labels?: Record<string, string>;
}

/** Set in every image unless `environment` sets them (apko `BuildImageFromLayers`). */
const DEFAULT_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin',
  SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
};

/**
 * The manifest and index annotations apko writes (also the config's `Labels`): the config's
 * `annotations`, `vcs-url` `URL@REVISION` as `org.opencontainers.image.source`/`.revision`, and
 * `org.opencontainers.image.created`.
 */
export function imageAnnotations(config: ImageConfig, created: string): Record<string, string> {
  const out: Record<string, string> = { ...config.annotations };
  const at = config.vcsUrl?.indexOf('@') ?? -1;
  if (config.vcsUrl !== undefined && at >= 0) {
    out['org.opencontainers.image.source'] = config.vcsUrl.slice(0, at);
    out['org.opencontainers.image.revision'] = config.vcsUrl.slice(at + 1);
  }
  out['org.opencontainers.image.created'] = created;
  return out;
}

/**
 * apko's mapping: `entrypoint.shell-fragment` → `/bin/sh -c FRAGMENT`, else `command` split
 * like a shell would; `service-bundle` → `/bin/s6-svscan /sv`; `cmd` split the same way; env
 * with apko's defaults for PATH and SSL_CERT_FILE, as sorted `K=V` strings; `run-as` as a uid
 * when it names a configured user (apko resolves names); `labels` (the image annotations) as
 * `Labels`.
 */
export function containerConfigFor(
  config: ImageConfig,
  labels?: Readonly<Record<string, string>>,
): ContainerConfig {
  const out: {
    -readonly [K in keyof ContainerConfig]: ContainerConfig[K];
  } = {};
  const ep = config.entrypoint;
  if (ep?.type === 'service-bundle') out.Entrypoint = ['/bin/s6-svscan', '/sv'];
  else if (ep?.shellFragment) out.Entrypoint = ['/bin/sh', '-c', ep.shellFragment];
  else if (ep?.command) out.Entrypoint = shellSplit(ep.command, 'entrypoint.command');
  if (config.cmd) out.Cmd = shellSplit(config.cmd, 'cmd');
  const env = { ...DEFAULT_ENV, ...config.environment };
  // Go's sort.Strings over the joined strings, as apko sorts them.
  out.Env = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (config.workDir) out.WorkingDir = config.workDir;
  const runAs = config.accounts.runAs;
  if (runAs !== undefined && runAs !== '') out.User = userFor(config, runAs);
  if (config.stopSignal) out.StopSignal = config.stopSignal;
  if (config.volumes.length) out.Volumes = Object.fromEntries([...config.volumes].sort().map((v) => [v, {}]));
  if (labels !== undefined && Object.keys(labels).length > 0) out.Labels = { ...labels };
  return out;
}

function userFor(config: ImageConfig, runAs: string): string {
  if (/^\d+(:\d+)?$/.test(runAs)) return runAs;
  // A configured user's name becomes its uid; other names (from a package's /etc/passwd) are
  // left for the runtime to resolve, which the OCI spec allows.
  const user = config.accounts.users.find((u) => u.username === runAs);
  return user?.uid === undefined ? runAs : String(user.uid);
}
