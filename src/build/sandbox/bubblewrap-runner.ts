import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LarderError } from '../../core/index.js';
import type { Fetcher } from '../../repo/index.js';
import { type BwrapPlan, bwrapArgs, type GuestRootOps } from './bwrap-args.js';
import { diagnoseSandbox } from './diagnose.js';
import { hostMounts } from './host-mounts.js';
import { preparePackageRoot } from './package-root.js';
import { probeSandbox } from './probe.js';
import type { PrepareOptions, Sandbox, SandboxRunner } from './sandbox.js';
import { spawnStep } from './spawn-step.js';
import { checkStepEnv } from './step-script.js';

/** melange runs unprivileged builds as this uid/gid inside the sandbox (its `buildUserID`). */
const BUILD_USER_ID = 1000;

export type BubblewrapRunnerOptions =
  | {
      /** `bubblewrap`: the guest root is `environment.contents`, installed with the image module. */
      readonly mode: 'package';
      readonly fetcher: Fetcher;
      readonly stateDir: string;
      readonly allowUntrusted?: boolean;
      readonly sourceDateEpoch?: number;
      readonly onWarning?: (message: string) => void;
    }
  | {
      /** `--runner host`: the host's toolchain bound read-only instead of a package root. */
      readonly mode: 'host';
    };

/**
 * The bubblewrap runners. Both give every step new user, pid, ipc, uts (and cgroup, when the
 * kernel has it) namespaces, a private network unless the step has the network, no
 * capabilities, its own /proc, /dev and tmpfs /tmp, and the step's environment only. Whether
 * namespaces can be made is probed once per runner, on the first `prepare`; when they cannot,
 * `prepare` throws SANDBOX_UNAVAILABLE saying why and what to do.
 */
export function createBubblewrapRunner(options: BubblewrapRunnerOptions): SandboxRunner {
  let probed: Promise<string> | undefined;
  const usableBwrap = (): Promise<string> => {
    probed ??= probeSandbox().then((facts) => {
      const problem = diagnoseSandbox(facts);
      if (problem !== undefined) throw problem;
      if (facts.bwrap === undefined) throw new LarderError('SANDBOX_UNAVAILABLE', 'bwrap is not on PATH');
      return facts.bwrap;
    });
    return probed;
  };
  return {
    name: options.mode === 'package' ? 'bubblewrap' : 'host',
    async prepare(prepare: PrepareOptions): Promise<Sandbox> {
      const bwrap = await usableBwrap();
      const workspace = await checkedDir(prepare.workspace, 'workspace');
      const cacheDir =
        prepare.cacheDir === undefined ? undefined : await checkedDir(prepare.cacheDir, 'cache directory');
      const root: GuestRootOps =
        options.mode === 'package'
          ? {
              kind: 'package',
              dir: await preparePackageRoot({
                contents: prepare.contents,
                arch: prepare.arch,
                fetcher: options.fetcher,
                stateDir: options.stateDir,
                ...(options.allowUntrusted === true ? { allowUntrusted: true } : {}),
                ...(options.sourceDateEpoch !== undefined
                  ? { sourceDateEpoch: options.sourceDateEpoch }
                  : {}),
                ...(options.onWarning !== undefined ? { onWarning: options.onWarning } : {}),
              }),
            }
          : { kind: 'host', mounts: await hostMounts() };
      const resolvConf = await access('/etc/resolv.conf').then(
        () => '/etc/resolv.conf',
        () => undefined,
      );
      const uid = process.getuid?.() ?? 0;
      const base: Omit<BwrapPlan, 'network'> = {
        root,
        workspace,
        statusFd: 3,
        ...(cacheDir !== undefined ? { cacheDir } : {}),
        ...(resolvConf !== undefined ? { resolvConf } : {}),
        ...(uid !== 0 ? { guestId: BUILD_USER_ID } : {}),
      };
      return {
        run(step, run) {
          checkStepEnv(step);
          const args = bwrapArgs({ ...base, network: run.network === true }, step);
          return spawnStep(bwrap, args, step, run);
        },
        async close() {
          // Package roots are cached under the state directory; nothing else was made.
        },
      };
    },
  };
}

async function checkedDir(path: string, what: string): Promise<string> {
  const abs = resolve(path);
  const st = await stat(abs).catch((err: unknown) => {
    throw new LarderError('IO', `${what} ${abs}: ${(err as Error).message}`, { subject: abs, cause: err });
  });
  if (!st.isDirectory()) throw new LarderError('IO', `${what} ${abs} is not a directory`, { subject: abs });
  return abs;
}
