import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobOutcome, runJobs } from '../../../../src/factory/engine/runner.js';
import type { JobRecord, Workspace } from '../../../../src/factory/model.js';
import { createStoreQueue, type StoreQueue } from '../../../../src/factory/queue/index.js';
import { type JobBody, type JobContext, notRetryable } from '../../../../src/factory/service.js';
import { readJobLog } from '../../../../src/factory/state/index.js';
import { openStore, type Store } from '../../../../src/store/index.js';

const until = async (check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('runJobs', () => {
  let store: Store;
  let queue: StoreQueue;
  const ends: { key: string; outcome: JobOutcome }[] = [];
  beforeEach(async () => {
    store = await openStore(':memory:');
    queue = createStoreQueue(store, { baseDelayMs: 10, maxAttempts: 2 });
    ends.length = 0;
  });
  afterEach(() => store.close());

  const contextFor = (
    _job: JobRecord,
    parts: { signal: AbortSignal; log: (l: string) => void },
  ): JobContext => ({
    workspace: {} as Workspace,
    store,
    publisher: { publish: async () => [] },
    signal: parts.signal,
    log: parts.log,
    stateDir: '/tmp',
    now: () => new Date().toISOString(),
    worker: 'w1',
  });
  const start = (body: JobBody, extra: { leaseMs?: number; concurrency?: number } = {}) =>
    runJobs({
      queue,
      bodies: { build: body },
      kinds: ['build'],
      worker: 'w1',
      store,
      contextFor,
      pollMs: 20,
      onJobEnd: (job, outcome) => ends.push({ key: job.key, outcome }),
      ...extra,
    });

  it('runs jobs up to the concurrency, completes them with their result and stores their log', async () => {
    let running = 0;
    let most = 0;
    const runner = start(
      async (job, ctx) => {
        running++;
        most = Math.max(most, running);
        ctx.log(`building ${job.key}`);
        await new Promise((r) => setTimeout(r, 30));
        running--;
        return { made: job.key };
      },
      { concurrency: 2 },
    );
    await queue.enqueue(
      ['a', 'b', 'c', 'd'].map((k) => ({ key: `build:${k}`, kind: 'build' as const, payload: {} })),
    );
    runner.poke();
    await until(() => ends.length === 4);
    await runner.close();
    expect(most).toBe(2);
    expect((await queue.get('build:c'))?.status).toBe('succeeded');
    expect((await queue.get('build:c'))?.result).toEqual({ made: 'build:c' });
    const log = await readJobLog(store, 'build:c', 0);
    expect(log.map((l) => l.line)).toEqual([
      'runner: build:c claimed by w1 (attempt 1 of 2)',
      'building build:c',
      'runner: succeeded',
    ]);
    expect(ends.every((e) => e.outcome.status === 'succeeded')).toBe(true);
  });

  it('retries a retryable failure and fails a non-retryable one at once', async () => {
    const runner = start(async (job) => {
      if (job.key === 'build:final') throw notRetryable(new Error('recipe broken'));
      throw new Error('network down');
    });
    await queue.enqueue([
      { key: 'build:final', kind: 'build', payload: {} },
      { key: 'build:flaky', kind: 'build', payload: {} },
    ]);
    runner.poke();
    await until(async () => (await queue.get('build:flaky'))?.status === 'failed');
    await runner.close();
    expect(await queue.get('build:final')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'recipe broken',
    });
    expect(await queue.get('build:flaky')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(ends.map((e) => `${e.key} ${e.outcome.status}`).sort()).toEqual([
      'build:final failed',
      'build:flaky failed',
      'build:flaky retrying',
    ]);
    const log = await readJobLog(store, 'build:final', 0);
    expect(log.at(-1)?.line).toBe('runner: failed (not retryable): recipe broken');
  });

  it('a kind without a body fails for good', async () => {
    const runner = runJobs({
      queue,
      bodies: {},
      kinds: ['compose'],
      worker: 'w1',
      store,
      contextFor,
      pollMs: 20,
    });
    await queue.enqueue([{ key: 'compose:x', kind: 'compose', payload: {} }]);
    runner.poke();
    await until(async () => (await queue.get('compose:x'))?.status === 'failed');
    await runner.close();
    expect((await queue.get('compose:x'))?.error).toBe('no job body for kind compose');
  });

  it('heartbeats keep a long job leased, and a lost lease aborts the signal', async () => {
    let aborted: unknown;
    let heartbeats = 0;
    const runner = start(
      (job, ctx) =>
        new Promise((resolve, reject) => {
          if (job.key === 'build:long') {
            setTimeout(() => resolve({ ok: true }), 250);
            return;
          }
          ctx.signal.addEventListener('abort', () => {
            aborted = ctx.signal.reason;
            reject(new Error('aborted'));
          });
        }),
      { leaseMs: 90, concurrency: 2 },
    );
    const heartbeat = queue.heartbeat.bind(queue);
    queue.heartbeat = async (id, worker, ms) => {
      heartbeats++;
      const job = (await queue.list()).find((j) => j.id === id);
      // The stuck job's lease is taken over: its heartbeat says so.
      if (job?.key === 'build:stuck') return false;
      return heartbeat(id, worker, ms);
    };
    await queue.enqueue([
      { key: 'build:long', kind: 'build', payload: {} },
      { key: 'build:stuck', kind: 'build', payload: {} },
    ]);
    runner.poke();
    await until(() => ends.length === 2);
    await runner.close();
    expect((await queue.get('build:long'))?.status).toBe('succeeded');
    expect(heartbeats).toBeGreaterThanOrEqual(3);
    expect(String(aborted)).toContain('build:stuck: the lease was lost');
    expect(ends.find((e) => e.key === 'build:stuck')?.outcome.status).toBe('lost');
    // Nothing was completed or failed for it: it waits for its lease to run out.
    expect((await queue.get('build:stuck'))?.status).toBe('running');
  });

  it('close waits for running jobs; close with abandon aborts them and leaves them to their lease', async () => {
    const gentle = start(async () => {
      await new Promise((r) => setTimeout(r, 60));
      return { done: 1 };
    });
    await queue.enqueue([{ key: 'build:one', kind: 'build', payload: {} }]);
    gentle.poke();
    await until(() => gentle.running() === 1);
    await gentle.close();
    expect((await queue.get('build:one'))?.status).toBe('succeeded');

    const rough = start(
      (_job, ctx) =>
        new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        ),
    );
    await queue.enqueue([{ key: 'build:two', kind: 'build', payload: {} }]);
    rough.poke();
    await until(() => rough.running() === 1);
    await rough.close({ abandon: true });
    expect((await queue.get('build:two'))?.status).toBe('running');
    expect(ends.at(-1)).toMatchObject({ key: 'build:two', outcome: { status: 'lost' } });
    await queue.enqueue([{ key: 'build:three', kind: 'build', payload: {} }]);
    await new Promise((r) => setTimeout(r, 60));
    expect((await queue.get('build:three'))?.status).toBe('pending');
  });
});
