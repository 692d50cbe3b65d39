import { NAMESPACE_ARGS } from './probe.js';
import { GUEST_CACHE_DIR, GUEST_WORKSPACE, type SandboxStep } from './sandbox.js';
import { stepShellScript } from './step-script.js';

/** How the guest's `/` is made. */
export type GuestRootOps =
  /** A prepared package root, bound read-only at `/` (it may be shared by cached builds). */
  | { readonly kind: 'package'; readonly dir: string }
  /** bwrap's empty tmpfs root with these host paths placed in it (the host runner). */
  | { readonly kind: 'host'; readonly mounts: readonly HostMount[] };

/** A host path placed in the guest: bound read-only, or re-made as the same symlink. */
export type HostMount =
  | { readonly kind: 'ro-bind'; readonly path: string }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string };

export interface BwrapPlan {
  readonly root: GuestRootOps;
  readonly workspace: string;
  readonly cacheDir?: string;
  readonly network: boolean;
  /** The host's `/etc/resolv.conf`, bound only when the step has the network. */
  readonly resolvConf?: string;
  /** uid/gid inside the guest; undefined keeps the caller's (melange: 1000 unless root). */
  readonly guestId?: number;
  /** File descriptor bwrap writes its JSON status lines to. */
  readonly statusFd: number;
}

/**
 * bwrap's arguments for one step, in the order bwrap applies them: namespaces (user, pid, ipc,
 * uts, cgroup, and net unless the step has the network), no capabilities, die with larder, a new
 * session (no TIOCSTI into larder's terminal), the root, /proc, /dev, a tmpfs /tmp, the workspace
 * read-write at /home/build, the cache at /var/cache/melange, then `/bin/sh -c SCRIPT`. The
 * environment is not in the arguments: bwrap is started with the step's environment only.
 */
export function bwrapArgs(plan: BwrapPlan, step: SandboxStep): string[] {
  const args: string[] = [...NAMESPACE_ARGS];
  if (!plan.network) args.push('--unshare-net');
  args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL');
  if (plan.guestId !== undefined) args.push('--uid', String(plan.guestId), '--gid', String(plan.guestId));
  if (plan.root.kind === 'package') args.push('--ro-bind', plan.root.dir, '/');
  else
    for (const m of plan.root.mounts) {
      if (m.kind === 'ro-bind') args.push('--ro-bind', m.path, m.path);
      else args.push('--symlink', m.target, m.path);
    }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  args.push('--bind', plan.workspace, GUEST_WORKSPACE);
  if (plan.cacheDir !== undefined) args.push('--bind', plan.cacheDir, GUEST_CACHE_DIR);
  if (plan.network && plan.resolvConf !== undefined)
    args.push('--ro-bind', plan.resolvConf, '/etc/resolv.conf');
  args.push('--chdir', GUEST_WORKSPACE, '--json-status-fd', String(plan.statusFd));
  args.push('--', '/bin/sh', '-c', stepShellScript(step));
  return args;
}
