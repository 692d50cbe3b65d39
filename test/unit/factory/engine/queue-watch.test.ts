import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { watchQueue } from '../../../../src/factory/engine/triggers/queue-watch.js';
import type { JobStatus } from '../../../../src/factory/index.js';

describe('watchQueue', () => {
  it('wakes when the counts change (a worker elsewhere finished a job), not before, not after close', async () => {
    const counts: Record<JobStatus, number> = { pending: 1, running: 0, succeeded: 0, failed: 0 };
    const wakes: string[] = [];
    const trigger = watchQueue({
      queue: { stats: async () => ({ ...counts }) },
      wake: (r) => wakes.push(r),
      pollMs: 10,
    });
    await sleep(50);
    expect(wakes).toEqual([]);
    counts.pending = 0;
    counts.succeeded = 1;
    await sleep(50);
    expect(wakes).toEqual(['queue changed']);
    trigger.close();
    counts.succeeded = 2;
    await sleep(50);
    expect(wakes).toEqual(['queue changed']);
  });

  it('reports a failing read and keeps watching', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const wakes: string[] = [];
    let n = 0;
    const trigger = watchQueue({
      queue: {
        stats: async () => {
          if (fail) throw new Error('store closed');
          n += 1;
          return { pending: n, running: 0, succeeded: 0, failed: 0 };
        },
      },
      wake: (r) => wakes.push(r),
      pollMs: 10,
      onError: (e) => errors.push(e),
    });
    await sleep(40);
    fail = false;
    await sleep(60);
    trigger.close();
    expect(errors.length).toBeGreaterThan(0);
    expect(wakes.length).toBeGreaterThan(0);
  });
});
