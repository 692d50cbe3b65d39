import { describe, expect, it } from 'vitest';
import { diagnoseSandbox, type ProbeFacts } from '../../../src/build/sandbox/index.js';

// bwrap's own words, recorded: ENOSPC and EPERM on this Debian 12 host (bwrap 0.8.0) by setting
// max_user_namespaces=0 inside a user namespace and by running bwrap chrooted; the others as
// users reported them (melange#1508 for AppArmor's uid map refusal; Docker's masked /proc).
const ENOSPC =
  'bwrap: Creating new namespace failed: nesting depth or /proc/sys/user/max_*_namespaces exceeded (ENOSPC)\n';
const EPERM_DEBIAN =
  'bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces. See <https://deb.li/bubblewrap> or <file:///usr/share/doc/bubblewrap/README.Debian.gz>.\n';
const EPERM_UPSTREAM =
  "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces. On e.g. debian this can be enabled with 'sysctl kernel.unprivileged_userns_clone=1'.\n";
const UID_MAP = 'bwrap: setting up uid map: Permission denied\n';
const NO_USERNS =
  'bwrap: Creating new namespace failed, likely because the kernel does not support user namespaces.  bwrap must be installed setuid on such systems.\n';
const PROC = "bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n";
const LOOPBACK = 'bwrap: loopback: Failed RTM_NEWADDR: Operation not permitted\n';
const CAPS = 'bwrap: Unexpected capabilities but not setuid, old file caps config?\n';

const HOST: ProbeFacts = {
  bwrap: '/usr/bin/bwrap',
  status: 1,
  stderr: '',
  uid: 1000,
  bwrapSetuid: false,
  maxUserNamespaces: 96364,
  seccompMode: 0,
  inContainer: false,
};

function diagnose(facts: Partial<ProbeFacts>): string {
  const err = diagnoseSandbox({ ...HOST, ...facts });
  expect(err?.code).toBe('SANDBOX_UNAVAILABLE');
  return err?.message ?? '';
}

describe('diagnoseSandbox', () => {
  it('says nothing when the probe worked', () => {
    expect(diagnoseSandbox({ ...HOST, status: 0 })).toBeUndefined();
  });

  it('bwrap missing: the package to install', () => {
    const m = diagnose({ bwrap: undefined, status: 127 });
    expect(m).toContain('not installed');
    expect(m).toContain('apt-get install bubblewrap');
  });

  it('max_user_namespaces=0: the sysctl to set, quoting bwrap', () => {
    const m = diagnose({ stderr: ENOSPC, maxUserNamespaces: 0, uid: 0 });
    expect(m).toContain('max_user_namespaces is 0');
    expect(m).toContain('sysctl -w user.max_user_namespaces=15000');
    expect(m).toContain('max_*_namespaces exceeded (ENOSPC)');
  });

  it('ENOSPC with a non-zero limit still names the limit', () => {
    expect(diagnose({ stderr: ENOSPC })).toContain('user.max_user_namespaces');
  });

  it('unprivileged_userns_clone=0 for a normal user: that sysctl', () => {
    for (const stderr of [EPERM_DEBIAN, EPERM_UPSTREAM]) {
      const m = diagnose({ stderr, unprivilegedUsernsClone: 0 });
      expect(m).toContain('kernel.unprivileged_userns_clone = 0');
      expect(m).toContain('sysctl -w kernel.unprivileged_userns_clone=1');
    }
  });

  it('EPERM inside a container with a seccomp filter: the container options', () => {
    const m = diagnose({
      stderr: EPERM_DEBIAN,
      unprivilegedUsernsClone: 1,
      inContainer: true,
      seccompMode: 2,
    });
    expect(m).toContain("container's seccomp or AppArmor profile");
    expect(m).toContain('--security-opt seccomp=unconfined');
  });

  it('EPERM elsewhere (chroot, LSM): says the kernel refused and quotes bwrap', () => {
    const m = diagnose({ stderr: EPERM_DEBIAN, uid: 0 });
    expect(m).toContain('kernel refused');
    expect(m).toContain('deb.li/bubblewrap');
  });

  it("AppArmor's uid map refusal (Ubuntu 24.04): the AppArmor sysctl or profile", () => {
    const m = diagnose({ stderr: UID_MAP, apparmorRestrictUserns: 1 });
    expect(m).toContain('AppArmor');
    expect(m).toContain('kernel.apparmor_restrict_unprivileged_userns=0');
  });

  it('no user namespaces in the kernel: setuid bwrap', () => {
    expect(diagnose({ stderr: NO_USERNS })).toContain('chmod u+s /usr/bin/bwrap');
  });

  it("a container's masked /proc: privileged container", () => {
    const m = diagnose({ stderr: PROC, inContainer: true });
    expect(m).toContain('mounting inside them was refused');
    expect(m).toContain('--privileged');
  });

  it('loopback and file-capability failures are told apart', () => {
    expect(diagnose({ stderr: LOOPBACK })).toContain('loopback interface');
    expect(diagnose({ stderr: CAPS })).toContain('setcap -r /usr/bin/bwrap');
  });

  it('an unknown failure quotes the last line bwrap wrote', () => {
    const m = diagnose({ stderr: 'bwrap: something new\nbwrap: and last\n' });
    expect(m).toContain('"bwrap: and last"');
    expect(m).toContain('--privileged');
  });
});
