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
}

/**
 * apko's mapping: `entrypoint.shell-fragment` → `/bin/sh -c FRAGMENT`, else `command` split
 * like a shell would; `service-bundle` → `/bin/s6-svscan /sv`; `cmd` split the same way; env
 * sorted by name; `run-as` as a uid when it names a configured user (apko resolves names).
 */
export function containerConfigFor(config: ImageConfig): ContainerConfig {
  const out: {
    -readonly [K in keyof ContainerConfig]: ContainerConfig[K];
  } = {};
  const ep = config.entrypoint;
  if (ep?.type === 'service-bundle') out.Entrypoint = ['/bin/s6-svscan', '/sv'];
  else if (ep?.shellFragment) out.Entrypoint = ['/bin/sh', '-c', ep.shellFragment];
  else if (ep?.command) out.Entrypoint = shellSplit(ep.command, 'entrypoint.command');
  if (config.cmd) out.Cmd = shellSplit(config.cmd, 'cmd');
  const env = Object.entries(config.environment ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (env.length) out.Env = env.map(([k, v]) => `${k}=${v}`);
  if (config.workDir) out.WorkingDir = config.workDir;
  const runAs = config.accounts.runAs;
  if (runAs !== undefined && runAs !== '') out.User = userFor(config, runAs);
  if (config.stopSignal) out.StopSignal = config.stopSignal;
  if (config.volumes.length) out.Volumes = Object.fromEntries([...config.volumes].sort().map((v) => [v, {}]));
  return out;
}

function userFor(config: ImageConfig, runAs: string): string {
  if (/^\d+(:\d+)?$/.test(runAs)) return runAs;
  // A configured user's name becomes its uid; other names (from a package's /etc/passwd) are
  // left for the runtime to resolve, which the OCI spec allows.
  const user = config.accounts.users.find((u) => u.username === runAs);
  return user?.uid === undefined ? runAs : String(user.uid);
}
