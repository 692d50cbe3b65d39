/** Retry timing of the store queue. */
export interface BackoffOptions {
  /** Delay before the first retry (ms). */
  readonly baseDelayMs: number;
  /** No retry waits longer than this (ms). */
  readonly maxDelayMs: number;
}

/**
 * How long a job waits before its next attempt after failing attempt number `attempts` (1 = the
 * first run failed): base × 2^(attempts-1), capped at maxDelayMs.
 */
export function backoffDelay(attempts: number, options: BackoffOptions): number {
  const exponent = Math.max(0, attempts - 1);
  // 2^exponent overflows to Infinity long before it matters; the cap keeps the result finite.
  return Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(exponent, 1024));
}
