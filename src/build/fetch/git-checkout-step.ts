/**
 * melange's `git-checkout` pipeline, run by larder on the host with the system git before the
 * sandboxed steps. The clone goes to a temporary directory inside the workspace; the tag, branch
 * or HEAD is checked against `expected-commit` (and reset to it on a full-history branch clone,
 * when it is an ancestor of the tip), cherry-picks are applied, and only then is the tree moved
 * into `destination`: a wrong commit leaves nothing behind. Depth defaults as melange's: 1,
 * or the full history for `branch` + `expected-commit` (unless it must be the branch tip).
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import { applyCherryPicks, parseCherryPicks } from './cherry-picks.js';
import { gitCheckoutRequest } from './git-checkout-request.js';
import { checkCommit, cloneArgs, fetchTag } from './git-commit-check.js';
import { git, type RetryPolicy, withRetries } from './git-run.js';
import {
  hostPath,
  input,
  integerInput,
  type SourceStepContext,
  type SourceStepInput,
  type SourceStepResult,
  stepLabel,
} from './source-step.js';

/** Options of a checkout beyond the step. */
export interface GitCheckoutOptions {
  /** SOURCE_DATE_EPOCH for cherry-pick commits. */
  readonly sourceDateEpoch?: string;
  /** Overrides the waits between clone attempts (tests). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs one git-checkout step into the workspace; returns the commit checked out.
 * @throws LarderError SOURCE_COMMIT_MISMATCH naming the step, repository, expected and found
 *   commits; PIPELINE_INVALID for bad inputs; FETCH_FAILED when git fails.
 */
export async function runGitCheckoutStep(
  step: SourceStepInput,
  context: SourceStepContext,
  options: GitCheckoutOptions = {},
): Promise<SourceStepResult & { readonly commit: string }> {
  const label = stepLabel(step, context);
  const request = gitCheckoutRequest(step, label);
  const picks = parseCherryPicks(step.inputs['cherry-picks'] ?? '', label);
  const policy: RetryPolicy = {
    retries: integerInput(step, 'max-retries', label, 3),
    initialBackoffS: integerInput(step, 'initial-backoff', label, 2),
    maxBackoffS: integerInput(step, 'max-backoff', label, 60),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  };
  const runDir = hostPath(context, step, label, 'working-directory', '.');
  const destination = hostPath(context, step, label, 'destination', input(step, 'destination') || '.');
  const messages: string[] = [];
  const warnings: string[] = [];
  if (request.branch === '' && request.tag === '') warnings.push(`${label}: no branch or tag given`);
  if (request.expectedCommit === '') warnings.push(`${label}: no expected-commit`);

  await mkdir(runDir, { recursive: true });
  const scratch = await mkdtemp(join(runDir, '.larder-git-'));
  try {
    const clone = join(scratch, 'clone');
    try {
      await withRetries(
        policy,
        async () => {
          await rm(clone, { recursive: true, force: true });
          await git(cloneArgs(request, clone), { cwd: scratch });
        },
        messages,
      );
    } catch (err) {
      throw new LarderError(
        'FETCH_FAILED',
        `${label}: cannot clone ${request.repository}: ${(err as Error).message}`,
        {
          cause: err,
          subject: request.repository,
        },
      );
    }
    if (request.sparsePaths.length > 0)
      await git(['sparse-checkout', 'set', '--cone', ...request.sparsePaths], { cwd: clone });
    if (request.tag !== '') await fetchTag(request, clone);
    const check = await checkCommit(request, clone);
    messages.push(...check.messages);
    warnings.push(...check.warnings);
    messages.push(...(await applyCherryPicks(clone, picks, options.sourceDateEpoch, label)));
    await mkdir(destination, { recursive: true });
    await cp(clone, destination, { recursive: true, force: true, verbatimSymlinks: true });
    return { messages, warnings, commit: check.commit };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
