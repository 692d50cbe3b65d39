import { LarderError } from '../../core/index.js';

/** What the one-time probe saw: bwrap's answer and the kernel settings that explain it. */
export interface ProbeFacts {
  /** Absolute path of `bwrap`, or undefined when it is not on PATH. */
  readonly bwrap: string | undefined;
  /** The probe's exit status (0: namespaces work) and what bwrap wrote on stderr. */
  readonly status: number;
  readonly stderr: string;
  /** Effective uid of this process. */
  readonly uid: number;
  readonly bwrapSetuid: boolean;
  /** `/proc/sys/user/max_user_namespaces`, when readable. */
  readonly maxUserNamespaces?: number;
  /** `/proc/sys/kernel/unprivileged_userns_clone` (Debian and Ubuntu kernels), when present. */
  readonly unprivilegedUsernsClone?: number;
  /** `/proc/sys/kernel/apparmor_restrict_unprivileged_userns` (Ubuntu 23.10+), when present. */
  readonly apparmorRestrictUserns?: number;
  /** `Seccomp:` of `/proc/self/status`: 2 when a seccomp filter (a container's) is active. */
  readonly seccompMode?: number;
  /** True inside a container (`/.dockerenv`, `/run/.containerenv`, `container=` in the env). */
  readonly inContainer: boolean;
}

/**
 * Why bubblewrap cannot make the sandbox here and what to do, from the probe's facts (bwrap
 * 0.4-0.11 error texts, Debian's and upstream's). Undefined when the probe succeeded.
 */
export function diagnoseSandbox(facts: ProbeFacts): LarderError | undefined {
  if (facts.bwrap !== undefined && facts.status === 0) return undefined;
  const PRIVILEGED =
    facts.uid === 0
      ? 'or run the build on the host or in a privileged container (docker run --privileged)'
      : 'or run larder as root, or in a privileged container (docker run --privileged)';
  const said = facts.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit status ${facts.status}`;
  const fail = (why: string, todo: string) =>
    new LarderError('SANDBOX_UNAVAILABLE', `cannot create the build sandbox: ${why}. ${todo}`, {
      subject: facts.bwrap ?? 'bwrap',
    });
  if (facts.bwrap === undefined)
    return fail(
      'bubblewrap (bwrap) is not installed or not on PATH',
      'Install it: apt-get install bubblewrap (Debian/Ubuntu), dnf install bubblewrap (Fedora), apk add bubblewrap (Alpine)',
    );
  const quoted = `bwrap said: "${said}"`;
  if (/max_\*_namespaces exceeded|No space left on device|ENOSPC/.test(said) || facts.maxUserNamespaces === 0)
    return fail(
      `user namespaces are disabled: /proc/sys/user/max_user_namespaces is ${facts.maxUserNamespaces ?? 'exhausted'} (${quoted})`,
      `Run: sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/), ${PRIVILEGED}`,
    );
  if (
    /setting up uid map|uid_map/.test(said) ||
    (facts.apparmorRestrictUserns === 1 && /namespace|Permission denied/.test(said))
  )
    return fail(
      `AppArmor forbids unprivileged user namespaces${facts.apparmorRestrictUserns === 1 ? ' (kernel.apparmor_restrict_unprivileged_userns = 1)' : ''} (${quoted})`,
      'Run: sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or give bwrap an AppArmor profile that allows "userns," ' +
        `(/etc/apparmor.d/bwrap, as Ubuntu 24.04's bwrap-userns-restrict does), ${PRIVILEGED}`,
    );
  if (/does not support user namespaces/.test(said))
    return fail(
      `this kernel has no user namespaces and bwrap is not setuid (${quoted})`,
      `Make bwrap setuid root (chmod u+s ${facts.bwrap}), ${PRIVILEGED}`,
    );
  if (
    /No permissions to creat|Operation not permitted|Permission denied/.test(said) &&
    /namespace/.test(said)
  ) {
    if (facts.unprivilegedUsernsClone === 0 && facts.uid !== 0)
      return fail(
        `unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0) (${quoted})`,
        `Run: sysctl -w kernel.unprivileged_userns_clone=1 (persist it in /etc/sysctl.d/), make bwrap setuid (chmod u+s ${facts.bwrap}), ${PRIVILEGED}`,
      );
    if (facts.inContainer || facts.seccompMode === 2)
      return fail(
        `the container's seccomp or AppArmor profile forbids creating namespaces (${quoted})`,
        'Start the container with --security-opt seccomp=unconfined --security-opt apparmor=unconfined ' +
          '(or --privileged), or run the build on the host',
      );
    return fail(
      `the kernel refused to create a user namespace (chroot, seccomp or an LSM policy) (${quoted})`,
      `Check that this process is not chrooted and no seccomp filter forbids unshare(CLONE_NEWUSER), ${PRIVILEGED}`,
    );
  }
  if (/Can't mount proc|Can't mount devpts|Can't mount tmpfs|Failed to make \/ slave|mount/.test(said))
    return fail(
      `namespaces were created but mounting inside them was refused, as in an unprivileged container with a masked /proc (${quoted})`,
      'Start the container with --privileged (or --security-opt systempaths=unconfined --security-opt seccomp=unconfined ' +
        '--security-opt apparmor=unconfined), or run the build on the host',
    );
  if (/loopback|RTM_NEWADDR|RTM_NEWLINK/.test(said))
    return fail(
      `the new network namespace could not bring up its loopback interface (${quoted})`,
      `Allow network namespaces for this user (CAP_NET_ADMIN inside a user namespace), ${PRIVILEGED}`,
    );
  if (/Unexpected capabilities|setuid mode/.test(said))
    return fail(
      `bwrap has file capabilities or a setuid setup it does not expect (${quoted})`,
      `Reinstall bubblewrap (apt-get install --reinstall bubblewrap) or clear them: setcap -r ${facts.bwrap}`,
    );
  return fail(
    `bwrap failed (${quoted})`,
    `Try: ${facts.bwrap} --unshare-user --unshare-pid --unshare-net --ro-bind / / true, ${PRIVILEGED}`,
  );
}
