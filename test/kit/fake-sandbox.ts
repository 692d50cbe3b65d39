import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import {
  GUEST_WORKSPACE,
  guestWorkdir,
  type PrepareOptions,
  type RunStepOptions,
  type Sandbox,
  type SandboxRunner,
  type SandboxStep,
} from '../../src/build/sandbox/index.js';
import { LarderError } from '../../src/core/index.js';

/** What a fake step sees: host directories standing for the guest's, and the step's data. */
export interface FakeStepContext {
  readonly step: SandboxStep;
  /** Host directory bound at /home/build (the workspace given to `prepare`). */
  readonly workspace: string;
  /** Host directory of the step's working directory (made before the step runs). */
  readonly workdir: string;
  /** Host path of a guest path: under the workspace for /home/build, else under a temp root. */
  readonly hostPath: (guestPath: string) => string;
  readonly network: boolean;
  /** Writes a line on the step's stdout / stderr. */
  readonly print: (text: string) => void;
  readonly printErr: (text: string) => void;
}

/** A step as a function: return (or resolve to) an exit status; nothing or 0 is success. */
export type FakeStep = (ctx: FakeStepContext) => number | undefined | Promise<number | undefined>;

/** One step the fake ran. */
export interface FakeRun {
  readonly step: SandboxStep;
  readonly network: boolean;
  readonly status: number;
}

export interface FakeSandboxRunner extends SandboxRunner {
  readonly prepared: PrepareOptions[];
  readonly runs: FakeRun[];
}

/**
 * A `SandboxRunner` without bwrap, for unit tests of orchestration: each step runs as the
 * function registered under its name, over the real workspace and a temp dir standing for the
 * rest of the guest. Failures are reported as the real runners report them (STEP_FAILED naming
 * the step); a step with no function fails with status 127, as a missing command would.
 * `unavailable` makes `prepare` throw it, as a host without namespaces would.
 */
export function createFakeSandboxRunner(
  steps: Readonly<Record<string, FakeStep>>,
  options: { readonly unavailable?: LarderError } = {},
): FakeSandboxRunner {
  const prepared: PrepareOptions[] = [];
  const runs: FakeRun[] = [];
  return {
    name: 'fake',
    prepared,
    runs,
    async prepare(prepare) {
      if (options.unavailable !== undefined) throw options.unavailable;
      prepared.push(prepare);
      const root = await mkdtemp(join(tmpdir(), 'larder-fake-root-'));
      const hostPath = (guest: string): string => {
        const p = posix.normalize(guest);
        if (p === GUEST_WORKSPACE || p.startsWith(`${GUEST_WORKSPACE}/`))
          return join(prepare.workspace, p.slice(GUEST_WORKSPACE.length));
        return join(root, p);
      };
      const sandbox: Sandbox = {
        async run(step: SandboxStep, run: RunStepOptions) {
          const started = performance.now();
          const workdir = hostPath(guestWorkdir(step));
          await mkdir(workdir, { recursive: true });
          const fn = steps[step.name];
          const line = (stream: 'stdout' | 'stderr') => (text: string) =>
            run.onLine({ step: step.name, stream, text });
          let status: number;
          let why = '';
          if (fn === undefined) {
            status = 127;
            why = `: no fake step named '${step.name}'`;
          } else {
            try {
              status =
                (await fn({
                  step,
                  workspace: prepare.workspace,
                  workdir,
                  hostPath,
                  network: run.network === true,
                  print: line('stdout'),
                  printErr: line('stderr'),
                })) ?? 0;
            } catch (err) {
              status = 1;
              why = `: ${(err as Error).message}`;
            }
          }
          runs.push({ step, network: run.network === true, status });
          if (status !== 0)
            throw new LarderError(
              'STEP_FAILED',
              `build step '${step.name}' failed with exit status ${status}${why}`,
              {
                subject: step.name,
              },
            );
          return { step: step.name, status: 0, durationMs: performance.now() - started };
        },
        async close() {
          await rm(root, { recursive: true, force: true });
        },
      };
      return sandbox;
    },
  };
}
