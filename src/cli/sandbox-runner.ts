import { createBubblewrapRunner, type SandboxRunner } from '../build/index.js';
import { LarderError } from '../core/index.js';
import type { Fetcher } from '../repo/index.js';

const RUNNERS = ['bubblewrap', 'host'] as const;

/** A `--runner` value: `bubblewrap` (a package root, the default) or `host` (the host's toolchain). */
export type RunnerName = (typeof RUNNERS)[number];

/** Checks `--runner`; USAGE error naming the value and the choices. */
export function runnerName(value: string | undefined): RunnerName {
  const name = value ?? 'bubblewrap';
  if (!(RUNNERS as readonly string[]).includes(name))
    throw new LarderError('USAGE', `--runner '${name}': use ${RUNNERS.join(' or ')}`);
  return name as RunnerName;
}

/** `--sign-key`, or melange's `--signing-key` spelling; USAGE error when neither is given. */
export function signKeyFile(o: { readonly signKey?: string; readonly signingKey?: string }): string {
  const file = o.signKey ?? o.signingKey;
  if (file === undefined) throw new LarderError('USAGE', 'a signing key is required: --sign-key KEY.rsa');
  return file;
}

/** The sandbox runner of `build`, `build-all` and `recipe test`; warnings go to stderr. */
export function cliSandboxRunner(
  name: RunnerName,
  options: { fetcher: Fetcher; stateDir: string; sourceDateEpoch: number; allowUntrusted?: boolean },
): SandboxRunner {
  if (name === 'host') return createBubblewrapRunner({ mode: 'host' });
  return createBubblewrapRunner({
    mode: 'package',
    fetcher: options.fetcher,
    stateDir: options.stateDir,
    sourceDateEpoch: options.sourceDateEpoch,
    ...(options.allowUntrusted === true ? { allowUntrusted: true } : {}),
    onWarning: (message) => process.stderr.write(`larder: warning: ${message}\n`),
  });
}

/**
 * Runs `work` with a signal that SIGINT or SIGTERM aborts (a STEP_FAILED error naming `what`
 * and the signal), so Ctrl-C kills the running step and the scratch directory is removed on the
 * way out; the handlers are removed afterwards.
 */
export async function whileInterruptible<T>(
  what: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const stop = (signal: NodeJS.Signals) =>
    abort.abort(new LarderError('STEP_FAILED', `${what} interrupted by ${signal}`));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(abort.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
