/** The inputs of a git-checkout step, checked as melange's script checks them. */
import { LarderError } from '../../core/index.js';
import { booleanInput, input, integerInput, invalidInput, type SourceStepInput } from './source-step.js';

/** The checked inputs of one git-checkout step. */
export interface GitCheckoutRequest {
  readonly label: string;
  readonly repository: string;
  readonly branch: string;
  readonly tag: string;
  readonly expectedCommit: string;
  readonly branchTip: boolean;
  /** -1 for the full history. */
  readonly depth: number;
  readonly recurseSubmodules: boolean;
  readonly shallowSubmodules: boolean;
  readonly submoduleJobs: number;
  readonly sparsePaths: readonly string[];
}

/** Validates the inputs as melange's script does, before anything runs. */
export function gitCheckoutRequest(step: SourceStepInput, label: string): GitCheckoutRequest {
  const repository = input(step, 'repository');
  if (repository === '') throw invalidInput(label, 'repository', repository, 'is required');
  const branch = input(step, 'branch');
  const tag = input(step, 'tag');
  if (branch !== '' && tag !== '')
    throw new LarderError('PIPELINE_INVALID', `${label}: both branch (${branch}) and tag (${tag}) are given`);
  const expectedCommit = input(step, 'expected-commit').toLowerCase();
  if (expectedCommit !== '' && !/^[0-9a-f]{40}$/.test(expectedCommit))
    throw invalidInput(label, 'expected-commit', expectedCommit, 'is not 40 hex characters');
  const branchTip = booleanInput(step, 'expected-commit-is-branch-tip', label, false);
  if (branchTip && (tag !== '' || branch === '' || expectedCommit === ''))
    throw new LarderError(
      'PIPELINE_INVALID',
      `${label}: expected-commit-is-branch-tip needs branch and expected-commit, and no tag`,
    );
  const rawDepth = input(step, 'depth');
  let depth: number;
  if (rawDepth === '' || rawDepth === 'unset')
    depth = branch !== '' && expectedCommit !== '' && !branchTip ? -1 : 1;
  else if (/^(-1|[1-9]\d{0,8})$/.test(rawDepth)) depth = Number(rawDepth);
  else throw invalidInput(label, 'depth', rawDepth, 'must be -1 or a positive integer');
  return {
    label,
    repository,
    branch,
    tag,
    expectedCommit,
    branchTip,
    depth,
    recurseSubmodules: booleanInput(step, 'recurse-submodules', label, false),
    shallowSubmodules: booleanInput(step, 'shallow-submodules', label, false),
    submoduleJobs: integerInput(step, 'submodule-jobs', label, 1),
    sparsePaths: input(step, 'sparse-paths')
      .split(/\s+/)
      .filter((p) => p !== ''),
  };
}
