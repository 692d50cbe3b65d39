// The store queue's tests, run on SQLite (store-queue.test.ts) and on PostgreSQL
// (test/integration/factory-postgres.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSpec } from '../../../../src/factory/model.js';
import { backoffDelay, createStoreQueue, WORKER_LOST } from '../../../../src/factory/queue/index.js';
import type { Store } from '../../../../src/store/index.js';
import { failure, job } from '../../../kit/factory-jobs.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let now = T0;
const clock = () => now;

/** The queue's tests over a fresh store from `open` (SQLite here, PostgreSQL in integration). */
export function queueSuite(open: () => Promise<Store>): void {
  let store: Store;
  beforeEach(async () => {
    now = T0;
    store = await open();
  });
  afterEach(() => store.close());

  describe('enqueue', () => {
    it('adds a key once; a failed key is added again from scratch', async () => {
      const q = createStoreQueue(store, { clock, maxAttempts: 1 });
      expect(await q.enqueue([job('build:a'), job('build:b'), job('build:a')])).toEqual({
        added: ['build:a', 'build:b'],
        existing: ['build:a'],
      });
      expect(await q.enqueue([job('build:a')])).toEqual({ added: [], existing: ['build:a'] });
      const a = await q.claim('w1', ['build'], 1000);
      expect(await q.enqueue([job('build:a')])).toEqual({ added: [], existing: ['build:a'] });
      await q.fail(a?.id ?? 0, 'w1', 'boom', { retryable: true });
      expect((await q.get('build:a'))?.status).toBe('failed');
      now += 5;
      expect(await q.enqueue([job('build:a', { payload: { again: true } })])).toEqual({
        added: ['build:a'],
        existing: [],
      });
      const again = await q.get('build:a');
      expect(again).toMatchObject({ status: 'pending', attempts: 0, payload: { again: true }, id: a?.id });
      expect(again?.error).toBeUndefined();
      expect(again?.runAfter).toBe(new Date(T0 + 5).toISOString());
    });

    it('refuses malformed specs, naming the job and adding none of the batch', async () => {
      const q = createStoreQueue(store, { clock });
      const bad: [unknown, RegExp][] = [
        [
          { key: 'build:x', kind: 'deploy', payload: {} },
          /job 2 \("build:x"\): kind "deploy" is not one of build/,
        ],
        [{ key: 'compose:x', kind: 'build', payload: {} }, /job 2 \("compose:x"\): key must be "build:<what/],
        [{ key: 'build:', kind: 'build', payload: {} }, /key must be/],
        [{ kind: 'build', payload: {} }, /^job 2: key must be/],
        [{ key: 'build:x', kind: 'build', payload: [] }, /payload must be an object/],
        [{ key: 'build:x', kind: 'build', payload: {}, priority: 1.5 }, /priority 1.5 is not an integer/],
        [{ key: 'build:x', kind: 'build', payload: {}, after: [''] }, /after holds "", not a job key/],
        [{ key: 'build:x', kind: 'build', payload: {}, after: ['build:x'] }, /cannot wait for itself/],
      ];
      for (const [spec, message] of bad) {
        const err = await failure(q.enqueue([job('build:ok'), spec as JobSpec]));
        expect(err.code).toBe('JOB_INVALID');
        expect(err.message).toMatch(message);
      }
      expect(await q.list()).toEqual([]);
    });
  });

  describe('claim', () => {
    it('takes the highest priority, then the oldest, of the asked kinds', async () => {
      const q = createStoreQueue(store, { clock });
      await q.enqueue([
        job('build:low'),
        job('build:high', { priority: 5 }),
        job('compose:top', { priority: 9 }),
        job('build:high2', { priority: 5 }),
      ]);
      const order: string[] = [];
      for (;;) {
        const j = await q.claim('w', ['build', 'rescan'], 1000);
        if (j === undefined) break;
        order.push(j.key);
        expect(j).toMatchObject({ status: 'running', worker: 'w', attempts: 1 });
        expect(j.leaseUntil).toBe(new Date(now + 1000).toISOString());
      }
      expect(order).toEqual(['build:high', 'build:high2', 'build:low']);
      expect((await q.claim('w', ['compose'], 1000))?.key).toBe('compose:top');
      expect(await q.claim('w', [], 1000)).toBeUndefined();
      for (const lease of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect((await failure(q.claim('w', ['build'], lease))).message).toMatch(
          /a lease must be a positive number/,
        );
        expect((await failure(q.heartbeat(1, 'w', lease))).code).toBe('USAGE');
      }
      expect((await failure(q.claim('', ['build'], 1000))).message).toMatch(/worker name is empty/);
    });

    it('waits for every `after` key to succeed', async () => {
      const q = createStoreQueue(store, { clock });
      await q.enqueue([
        job('compose:img', { after: ['build:lib', 'build:app'], priority: 10 }),
        job('build:app', { after: ['build:lib'] }),
        job('build:lib'),
      ]);
      const lib = await q.claim('w', ['build', 'compose'], 1000);
      expect(lib?.key).toBe('build:lib');
      expect(await q.claim('w', ['build', 'compose'], 1000)).toBeUndefined();
      await q.complete(lib?.id ?? 0, 'w', { packages: 1 });
      const app = await q.claim('w', ['build', 'compose'], 1000);
      expect(app?.key).toBe('build:app');
      expect(app?.after).toEqual(['build:lib']);
      await q.fail(app?.id ?? 0, 'w', 'flaky', { retryable: true });
      now += 1000;
      const app2 = await q.claim('w', ['build', 'compose'], 1000);
      expect(app2).toMatchObject({ key: 'build:app', attempts: 2, error: 'flaky' });
      await q.complete(app2?.id ?? 0, 'w', {});
      expect((await q.claim('w', ['build', 'compose'], 1000))?.key).toBe('compose:img');
      expect(await q.get('build:lib')).toMatchObject({ status: 'succeeded', result: { packages: 1 } });
      expect(await q.blocked()).toEqual([]);
    });

    it('lists jobs blocked by a failed or missing `after` key until it is queued again', async () => {
      const q = createStoreQueue(store, { clock });
      await q.enqueue([
        job('build:lib'),
        job('compose:a', { after: ['build:lib', 'build:gone'] }),
        job('compose:b', { after: ['build:lib'] }),
      ]);
      expect(await q.blocked()).toEqual([{ key: 'compose:a', waitingFor: ['build:gone'] }]);
      const lib = await q.claim('w', ['build'], 1000);
      await q.fail(lib?.id ?? 0, 'w', 'broken recipe', { retryable: false });
      expect(await q.blocked()).toEqual([
        { key: 'compose:a', waitingFor: ['build:gone', 'build:lib'] },
        { key: 'compose:b', waitingFor: ['build:lib'] },
      ]);
      await q.enqueue([job('build:lib'), job('build:gone')]);
      expect(await q.blocked()).toEqual([]);
    });

    it('retries with exponential backoff, capped, until the attempts run out', async () => {
      const q = createStoreQueue(store, { clock, baseDelayMs: 1000, maxDelayMs: 5000, maxAttempts: 5 });
      await q.enqueue([job('build:x')]);
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 5; attempt++) {
        const j = await q.claim('w', ['build'], 60_000);
        expect(j?.attempts).toBe(attempt);
        await q.fail(j?.id ?? 0, 'w', `attempt ${attempt}`, { retryable: true });
        const after = await q.get('build:x');
        if (after?.status === 'failed') break;
        const wait = Date.parse(after?.runAfter ?? '') - now;
        delays.push(wait);
        now += wait - 1;
        expect(await q.claim('w', ['build'], 60_000)).toBeUndefined();
        now += 1;
      }
      expect(delays).toEqual([1000, 2000, 4000, 5000]);
      expect(await q.get('build:x')).toMatchObject({ status: 'failed', attempts: 5, error: 'attempt 5' });
      expect(backoffDelay(1, { baseDelayMs: 10, maxDelayMs: 1e9 })).toBe(10);
      expect(backoffDelay(5000, { baseDelayMs: 10, maxDelayMs: 1e9 })).toBe(1e9);
    });

    it('fails a non-retryable error at once', async () => {
      const q = createStoreQueue(store, { clock });
      await q.enqueue([job('build:x')]);
      const j = await q.claim('w', ['build'], 1000);
      await q.fail(j?.id ?? 0, 'w', 'recipe broken', { retryable: false });
      expect(await q.get('build:x')).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: 'recipe broken',
        finishedAt: new Date(now).toISOString(),
      });
    });
  });

  describe('leases', () => {
    it('heartbeats extend; an expired lease goes to another worker and the first is refused', async () => {
      const q = createStoreQueue(store, { clock, maxAttempts: 3 });
      await q.enqueue([job('build:x')]);
      const first = await q.claim('w1', ['build'], 1000);
      const id = first?.id ?? 0;
      now += 900;
      expect(await q.heartbeat(id, 'w1', 1000)).toBe(true);
      expect(await q.heartbeat(id, 'w2', 1000)).toBe(false);
      now += 900;
      expect(await q.claim('w2', ['build'], 1000)).toBeUndefined();
      now += 101;
      expect(await q.heartbeat(id, 'w1', 1000)).toBe(false);
      const late = await failure(q.complete(id, 'w1', {}));
      expect(late.code).toBe('JOB_LEASE_LOST');
      expect(late.message).toMatch(/job \d+ \(build:x\): w1 cannot complete it: its lease expired at/);
      const second = await q.claim('w2', ['build'], 1000);
      expect(second).toMatchObject({ id, worker: 'w2', attempts: 2, error: WORKER_LOST });
      expect((await failure(q.complete(id, 'w1', {}))).message).toMatch(/it is leased to w2/);
      expect((await failure(q.fail(id, 'w1', 'x', { retryable: true }))).code).toBe('JOB_LEASE_LOST');
      await q.complete(id, 'w2', { ok: true });
      expect((await failure(q.complete(id, 'w2', {}))).message).toMatch(/it is succeeded/);
      expect((await failure(q.complete(999, 'w2', {}))).code).toBe('NOT_FOUND');
      expect(await q.get('build:x')).toMatchObject({
        status: 'succeeded',
        worker: 'w2',
        result: { ok: true },
      });
    });

    it('a job whose workers keep vanishing fails as worker lost after maxAttempts', async () => {
      const q = createStoreQueue(store, { clock, maxAttempts: 2 });
      await q.enqueue([job('build:x'), job('rescan:y')]);
      expect((await q.claim('w1', ['build'], 1000))?.attempts).toBe(1);
      now += 1001;
      expect((await q.claim('w2', ['build'], 1000))?.attempts).toBe(2);
      now += 1001;
      // Expired leases are reaped whatever kinds the claimer asks for.
      expect((await q.claim('w3', ['rescan'], 1000))?.key).toBe('rescan:y');
      expect(await q.get('build:x')).toMatchObject({ status: 'failed', attempts: 2, error: WORKER_LOST });
      expect(await q.stats()).toEqual({ pending: 0, running: 1, succeeded: 0, failed: 1 });
      expect((await q.statsByKind()).build).toEqual({ pending: 0, running: 0, succeeded: 0, failed: 1 });
      expect((await q.list({ status: 'failed' })).map((j) => j.key)).toEqual(['build:x']);
      expect((await q.list({ kind: 'rescan' })).map((j) => j.key)).toEqual(['rescan:y']);
      expect(await q.list({ limit: 1 })).toHaveLength(1);
    });
  });

  describe('concurrency', () => {
    // One store per process: its write transactions are serialized by kysely's connection mutex
    // (several better-sqlite3 handles on one file in one thread would block each other's event
    // loop). Several processes on one file: test/integration/factory-queue-crash.test.ts.
    it('parallel claim loops never share a job', async () => {
      const q = createStoreQueue(store);
      const keys = Array.from({ length: 120 }, (_, i) => `build:p${i}`);
      await q.enqueue(keys.map((k, i) => job(k, { priority: i % 3 })));
      const done: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, loop) => {
          const worker = `w${loop}`;
          for (;;) {
            const j = await q.claim(worker, ['build'], 60_000);
            if (j === undefined) return;
            done.push(j.key);
            // Yield between claim and complete so the loops interleave.
            await new Promise((resolve) => setImmediate(resolve));
            await q.complete(j.id, worker, { by: worker });
          }
        }),
      );
      expect(done.length).toBe(keys.length);
      expect(new Set(done).size).toBe(keys.length);
      expect(await q.stats()).toEqual({ pending: 0, running: 0, succeeded: 120, failed: 0 });
      const workers = new Set((await q.list()).map((j) => j.worker));
      expect(workers.size).toBeGreaterThan(1);
    });
  });

  describe('stored rows', () => {
    it('a tampered row is STORE_INVALID naming the job and column', async () => {
      const q = createStoreQueue(store, { clock });
      await q.enqueue([job('build:x')]);
      const tamper: [Record<string, string>, RegExp][] = [
        [{ payload: '{oops' }, /factory_jobs id 1 \(build:x\): column payload is not JSON: "\{oops"/],
        [{ payload: '[1]' }, /payload is not an object/],
        [{ after: '{"a":1}' }, /after is not a list of keys/],
        [{ status: 'lost' }, /unknown status "lost"/],
      ];
      for (const [set, message] of tamper) {
        await store.db
          .updateTable('factory_jobs')
          .set({ payload: '{}', after: '[]', status: 'pending' })
          .execute();
        await store.db.updateTable('factory_jobs').set(set).execute();
        const err = await failure(q.get('build:x'));
        expect(err.code).toBe('STORE_INVALID');
        expect(err.message).toMatch(message);
      }
    });
  });
}
