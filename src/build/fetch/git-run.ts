/**
 * Runs the system `git` for the git-checkout step: no terminal prompts, no system or user
 * configuration that could change the result, the build identity melange uses for commits it
 * makes (cherry-picks), and errors that carry git's own message.
 */
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { LarderError } from '../../core/index.js';

const exec = promisify(execFile);

/** How a git command runs. */
export interface GitOptions {
  readonly cwd: string;
  /** Extra environment (GIT_COMMITTER_DATE for cherry-picks). */
  readonly env?: Readonly<Record<string, string>>;
}

function gitEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Melange Build',
    GIT_AUTHOR_EMAIL: 'melange-build@cgr.dev',
    GIT_COMMITTER_NAME: 'Melange Build',
    GIT_COMMITTER_EMAIL: 'melange-build@cgr.dev',
    LC_ALL: 'C',
    ...extra,
  };
}

/**
 * Runs `git ARGS` and returns its trimmed stdout.
 * @throws LarderError FETCH_FAILED with git's stderr (or "git is not installed").
 */
export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  try {
    const { stdout } = await exec('git', [...args], {
      cwd: options.cwd,
      env: gitEnv(options.env),
      maxBuffer: 64 << 20,
    });
    return stdout.trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const why =
      e.code === 'ENOENT' ? 'git is not installed' : (e.stderr ?? '').trim() || e.message.split('\n')[0];
    throw new LarderError('FETCH_FAILED', `git ${args.join(' ')}: ${why}`, { cause: err });
  }
}

/** True when `git ARGS` exits 0 (for `merge-base --is-ancestor` and similar questions). */
export async function gitSucceeds(args: readonly string[], options: GitOptions): Promise<boolean> {
  try {
    await git(args, options);
    return true;
  } catch {
    return false;
  }
}

/** Retry policy of the clone (melange: max-retries, initial-backoff, max-backoff). */
export interface RetryPolicy {
  readonly retries: number;
  readonly initialBackoffS: number;
  readonly maxBackoffS: number;
  /** Waits between attempts; a test passes a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds or `retries` more attempts have failed, doubling the wait
 * (capped) between attempts. melange adds random jitter; larder waits exactly, for predictable
 * builds. Returns the messages about the retries made.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  notes: string[],
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => delay(ms).then(() => undefined));
  let backoff = policy.initialBackoffS;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= policy.retries) throw err;
      notes.push(`git-checkout: attempt ${n + 1} failed, retrying in ${backoff}s`);
      await sleep(backoff * 1000);
      backoff = Math.min(backoff * 2, policy.maxBackoffS);
    }
  }
}
