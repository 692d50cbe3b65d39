/** Timer triggers: the next schedule slot (rescans, update checks) and the feed refresh period. */
import type { Workspace } from '../../model.js';
import type { Trigger } from './workspace-watch.js';

/** Longest single wait (setTimeout's limit is ~24.8 days). */
const MAX_WAIT = 2 ** 31 - 1;

/** Milliseconds from `nowMs` to the start of the next period of any of `periods` (0 entries are ignored). */
export function msToNextSlot(nowMs: number, periods: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const period of periods) {
    if (!(period > 0)) continue;
    const next = (Math.floor(nowMs / period) + 1) * period - nowMs;
    if (best === undefined || next < best) best = next;
  }
  return best;
}

/**
 * Wakes the reconciler (`schedule`) when a new rescan or update-check period starts, re-reading
 * the periods from the workspace each time (they change with larder.yaml).
 */
export function scheduleTimer(options: {
  readonly workspace: () => Workspace | undefined;
  readonly wake: (reason: string) => void;
  readonly clock: () => number;
  /** When no workspace is loaded yet, look again after this long (ms, default 1000). */
  readonly retryMs?: number;
}): Trigger {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const arm = (): void => {
    if (closed) return;
    const ws = options.workspace();
    const periods = ws === undefined ? [] : [ws.config.schedules.rescanMs, ws.config.schedules.updateCheckMs];
    const wait = msToNextSlot(options.clock(), periods);
    const fire = wait !== undefined;
    // A small margin so the reconcile's clock is inside the new period.
    const delay = Math.min(MAX_WAIT, fire ? wait + 5 : (options.retryMs ?? 1000));
    timer = setTimeout(() => {
      if (fire && !closed) options.wake('schedule');
      arm();
    }, delay);
    timer.unref?.();
  };
  arm();
  return {
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** Wakes the reconciler with `feed-refresh` every `periodMs` (the vulnerability data is refreshed). */
export function feedTimer(options: {
  readonly periodMs: number;
  readonly wake: (reason: string) => void;
}): Trigger {
  if (!(options.periodMs > 0)) return { close() {} };
  const timer = setInterval(() => options.wake('feed-refresh'), Math.min(MAX_WAIT, options.periodMs));
  timer.unref?.();
  return { close: () => clearInterval(timer) };
}
