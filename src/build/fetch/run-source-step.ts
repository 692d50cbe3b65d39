/** Dispatches a plan's source step to `fetch` or `git-checkout`. */
import type { Fetcher } from '../../repo/index.js';
import { runFetchStep } from './fetch-step.js';
import { runGitCheckoutStep } from './git-checkout-step.js';
import type { SourceStepContext, SourceStepInput, SourceStepResult } from './source-step.js';

/** What running source steps needs besides the step. */
export interface SourceStepRunOptions {
  /** Downloads for `fetch` (the repo module's `createFetcher`). */
  readonly fetcher: Fetcher;
  /** SOURCE_DATE_EPOCH, the committer date of cherry-picks. */
  readonly sourceDateEpoch?: string;
}

/** Runs one source step into `context.workspace`. */
export function runSourceStep(
  step: SourceStepInput,
  context: SourceStepContext,
  options: SourceStepRunOptions,
): Promise<SourceStepResult> {
  if (step.kind === 'fetch') return runFetchStep(step, context, options.fetcher);
  return runGitCheckoutStep(
    step,
    context,
    options.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: options.sourceDateEpoch },
  );
}
