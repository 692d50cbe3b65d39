/**
 * Runs a build plan's steps in order, as melange runs the main pipeline then each subpackage's:
 * `fetch` and `git-checkout` on the host into the workspace (they need the network, the
 * sandbox never has it), every shell step in the sandbox with no network.
 */
import { LarderError } from '../../core/index.js';
import type { Fetcher } from '../../repo/index.js';
import type { BuildPlan, PlanStep, ShellStep } from '../compile/index.js';
import { runSourceStep } from '../fetch/index.js';
import type { Sandbox, SandboxStep, StepLine } from '../sandbox/index.js';

/** What a build reports while it runs (libraries never print: the caller shows these). */
export type BuildEvent =
  | {
      readonly kind: 'step';
      readonly package: string;
      readonly step: string;
      readonly type: PlanStep['kind'];
    }
  | { readonly kind: 'line'; readonly line: StepLine }
  | { readonly kind: 'warning'; readonly step?: string; readonly message: string };

/** Where and with what the steps run. */
export interface StepRunContext {
  readonly plan: BuildPlan;
  readonly sandbox: Sandbox;
  readonly workspace: string;
  readonly fetcher: Fetcher;
  readonly sourceDateEpoch: number;
  readonly onEvent: (event: BuildEvent) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs every package's steps, main package first.
 * @throws LarderError STEP_FAILED naming the recipe and the step when a shell step fails; a
 *   source step's own error (checksum mismatch, fetch failure) naming the recipe, step and URL.
 */
export async function runPlanSteps(context: StepRunContext): Promise<void> {
  const { plan, onEvent } = context;
  for (const pkg of plan.packages) {
    for (const step of pkg.steps) {
      context.signal?.throwIfAborted();
      onEvent({ kind: 'step', package: pkg.name, step: step.name, type: step.kind });
      if (step.kind === 'run') {
        await runShellStep(context, step);
        continue;
      }
      const result = await runSourceStep(
        step,
        { workspace: context.workspace, recipe: plan.file },
        { fetcher: context.fetcher, sourceDateEpoch: String(context.sourceDateEpoch) },
      );
      for (const text of result.messages)
        onEvent({ kind: 'line', line: { step: step.name, stream: 'stderr', text } });
      for (const message of result.warnings) onEvent({ kind: 'warning', step: step.name, message });
    }
  }
}

async function runShellStep(context: StepRunContext, step: ShellStep): Promise<void> {
  const sandboxStep: SandboxStep = {
    name: step.name,
    script: sandboxScript(step),
    workdir: step.workdir,
    // melange gives every step SOURCE_DATE_EPOCH, under the recipe's environment and the step's.
    env: {
      SOURCE_DATE_EPOCH: String(context.sourceDateEpoch),
      ...context.plan.environment.env,
      ...step.environment,
    },
  };
  try {
    await context.sandbox.run(sandboxStep, {
      onLine: (line) => context.onEvent({ kind: 'line', line }),
      network: false,
      ...(context.signal !== undefined ? { signal: context.signal } : {}),
    });
  } catch (err) {
    if (err instanceof LarderError && err.code === 'STEP_FAILED')
      throw new LarderError('STEP_FAILED', `${context.plan.file}: ${err.message}`, {
        subject: step.name,
        cause: err,
      });
    throw err;
  }
}

const PIPEFAIL_LINE = 'set -eo pipefail\n';

/**
 * The plan's script for the sandbox. The sandbox wraps every script the way melange does
 * (`set -e`, `pipefail` where the shell has it, make and enter the workdir, `exit 0`), so the
 * plan's own leading `set -eo pipefail` is dropped: Debian's dash, the host runner's `/bin/sh`,
 * has no pipefail and would stop there.
 */
export function sandboxScript(step: ShellStep): string {
  return step.script.startsWith(PIPEFAIL_LINE) ? step.script.slice(PIPEFAIL_LINE.length) : step.script;
}
