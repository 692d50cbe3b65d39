import { access, constants, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/** Capabilities a root RUN keeps: Docker's default set (moby's oci/caps defaults). */
export const DOCKER_DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
] as const;

/** A host path bound into the sandbox for one run. */
export interface SandboxBind {
  readonly source: string;
  /** Absolute path in the image. */
  readonly dest: string;
  readonly readOnly?: boolean;
}

/** Everything bwrap's arguments depend on. */
export interface SandboxPlan {
  readonly root: string;
  readonly argv: readonly string[];
  /** Absolute, already made in the rootfs. */
  readonly workdir: string;
  readonly uid: number;
  readonly gid: number;
  /**
   * True when bwrap runs as real root without a user namespace: ids are real, a root RUN
   * keeps Docker's capabilities (chown to any id works). False: a user namespace mapping the
   * step's ids to the ids bwrap was started with.
   */
  readonly privileged: boolean;
  readonly network: boolean;
  readonly binds: readonly SandboxBind[];
  readonly statusFd: number;
}

/**
 * bwrap's arguments for one RUN: namespaces (pid, ipc, uts, cgroup; net unless `network`),
 * die with larder, a new session, `root` read-write at `/`, fresh /proc and a minimal /dev,
 * the binds, the working directory, then the command itself (no shell added: the caller
 * decides the shell form). The environment is not in the arguments: bwrap gets only the step's.
 */
export function sandboxArgs(plan: SandboxPlan): string[] {
  const args = ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  if (!plan.network) args.push('--unshare-net');
  if (plan.privileged) {
    args.push('--cap-drop', 'ALL');
    if (plan.uid === 0) for (const cap of DOCKER_DEFAULT_CAPS) args.push('--cap-add', cap);
  } else {
    args.push('--unshare-user', '--uid', String(plan.uid), '--gid', String(plan.gid));
  }
  args.push('--hostname', 'buildkitsandbox', '--die-with-parent', '--new-session');
  args.push('--bind', plan.root, '/', '--proc', '/proc', '--dev', '/dev');
  for (const b of plan.binds) args.push(b.readOnly === true ? '--ro-bind' : '--bind', b.source, b.dest);
  // bwrap exports PWD=<workdir> after --chdir, over any PWD of the step's environment.
  args.push('--chdir', plan.workdir, '--json-status-fd', String(plan.statusFd), '--', ...plan.argv);
  return args;
}

/** `bwrap` as `LARDER_BWRAP` names it, or on PATH; undefined when there is none. */
export async function locateBwrap(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const explicit = env.LARDER_BWRAP;
  const dirs = (env.PATH ?? '/usr/bin:/bin').split(delimiter).filter((d) => isAbsolute(d));
  const candidates =
    explicit !== undefined && explicit !== '' ? [explicit] : dirs.map((d) => join(d, 'bwrap'));
  for (const file of candidates) {
    try {
      await access(file, constants.X_OK);
      if ((await stat(file)).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}
