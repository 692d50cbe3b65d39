/**
 * Wakes the reconciler when the queue's counts change: jobs that `larder worker` processes (other
 * machines) claim, finish or fail end there, not in this process's runner, so nothing else here
 * hears of them.
 */
import type { Queue } from '../../model.js';
import type { Trigger } from './workspace-watch.js';

export function watchQueue(options: {
  readonly queue: Pick<Queue, 'stats'>;
  readonly wake: (reason: string) => void;
  /** How often the counts are read (ms). */
  readonly pollMs: number;
  readonly onError?: (error: unknown) => void;
}): Trigger {
  let last: string | undefined;
  let closed = false;
  let busy = false;
  const look = async (): Promise<void> => {
    if (busy || closed) return;
    busy = true;
    try {
      const now = JSON.stringify(await options.queue.stats());
      if (last !== undefined && now !== last) options.wake('queue changed');
      last = now;
    } catch (error) {
      options.onError?.(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void look(), options.pollMs);
  timer.unref();
  void look();
  return {
    close() {
      closed = true;
      clearInterval(timer);
    },
  };
}
