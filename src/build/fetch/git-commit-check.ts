/**
 * The git commands of a checkout and the commit check, as melange's git-checkout script makes
 * them: clone flags, the tag fetched into `refs/origin/tags/<tag>` (a branch of the same name
 * must not win), and the comparison of HEAD with `expected-commit`.
 */
import { LarderError } from '../../core/index.js';
import type { GitCheckoutRequest } from './git-checkout-request.js';
import { git, gitSucceeds } from './git-run.js';

/** `git clone` arguments for a request, cloning into `into`. */
export function cloneArgs(request: GitCheckoutRequest, into: string): string[] {
  const args = ['clone', '--quiet', '--origin=origin', '--config=advice.detachedHead=false'];
  if (request.branch !== '') args.push(`--branch=${request.branch}`);
  if (request.tag !== '') args.push(`--branch=${request.tag}`);
  if (request.recurseSubmodules) {
    args.push('--recurse-submodules', `--jobs=${request.submoduleJobs}`);
    if (request.shallowSubmodules) args.push('--shallow-submodules');
  }
  if (request.sparsePaths.length > 0) args.push('--sparse', '--filter=blob:none');
  if (request.depth !== -1) args.push(`--depth=${request.depth}`);
  args.push('--', request.repository, into);
  return args;
}

/** Fetches the tag itself and checks it out detached. */
export async function fetchTag(request: GitCheckoutRequest, dir: string): Promise<void> {
  const depth = request.depth === -1 ? [] : [`--depth=${request.depth}`];
  await git(
    [
      'fetch',
      '--quiet',
      'origin',
      ...depth,
      '--no-tags',
      `+refs/tags/${request.tag}:refs/origin/tags/${request.tag}`,
    ],
    { cwd: dir },
  );
  await git(['checkout', '--quiet', `origin/tags/${request.tag}`], { cwd: dir });
}

/** The outcome of the commit check. */
export interface CommitCheck {
  readonly commit: string;
  readonly messages: string[];
  readonly warnings: string[];
}

function mismatch(request: GitCheckoutRequest, found: string, why: string): LarderError {
  return new LarderError(
    'SOURCE_COMMIT_MISMATCH',
    `${request.label}: ${request.repository}: expected commit ${request.expectedCommit}, got ${found} ${why}`,
    { subject: request.repository },
  );
}

/**
 * Compares HEAD with `expected-commit`. On a tag, the annotated tag object's hash is accepted
 * with a warning; on a full-history branch, an older commit of the branch is checked out.
 * @throws LarderError SOURCE_COMMIT_MISMATCH otherwise.
 */
export async function checkCommit(request: GitCheckoutRequest, dir: string): Promise<CommitCheck> {
  const messages: string[] = [];
  const warnings: string[] = [];
  const expected = request.expectedCommit;
  const found = await git(['rev-parse', '--verify', 'HEAD'], { cwd: dir });
  if (request.tag !== '') {
    if (expected !== '' && expected !== found) {
      const tagObject = await git(
        ['rev-parse', '--verify', '--end-of-options', `refs/origin/tags/${request.tag}`],
        {
          cwd: dir,
        },
      );
      if (tagObject !== expected) throw mismatch(request, found, `for tag ${request.tag}`);
      warnings.push(
        `${request.label}: expected-commit ${expected} is the annotated tag object of ${request.tag}; set it to ${found}`,
      );
    }
    messages.push(`git-checkout: tag ${request.tag} is ${found}`);
    return { commit: found, messages, warnings };
  }
  const ref = request.branch || 'HEAD';
  if (expected === '' || expected === found) {
    messages.push(`git-checkout: tip of ${ref} is ${found}`);
    return { commit: found, messages, warnings };
  }
  if (request.branchTip)
    throw mismatch(request, found, `(the tip of ${ref}, which must equal expected-commit)`);
  if (request.depth !== -1)
    throw mismatch(request, found, `on ${ref}; set depth to -1 to reach an older commit`);
  if (!(await gitSucceeds(['merge-base', '--is-ancestor', expected, found], { cwd: dir }))) {
    throw mismatch(request, found, `(the tip of ${ref}): the expected commit is not in its history`);
  }
  await git(['reset', '--quiet', '--hard', expected], { cwd: dir });
  messages.push(`git-checkout: ${ref} is at ${found}; reset to expected commit ${expected}`);
  return { commit: expected, messages, warnings };
}
