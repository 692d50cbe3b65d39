// The pg-boss queue (src/factory/queue/pg-boss-queue.ts) on a private PostgreSQL: the Queue
// contract of the store queue (test/unit/factory/queue/queue-suite.ts) with the database's clock
// (real time, short leases and delays), and the pg-boss side kept in step with the ledger.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgBossQueue,
  createStoreQueue,
  type PgBossQueue,
  type PgBossQueueOptions,
  WORKER_LOST,
} from '../../src/factory/queue/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { failure, job } from '../kit/factory-jobs.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

const open: { store: Store; queue: PgBossQueue; url: string }[] = [];
afterEach(async () => {
  for (const { store, queue } of open.splice(0)) {
    await queue.close();
    await store.close();
  }
});

/** A fresh database, its store and a pg-boss queue on it. */
async function fresh(options: Omit<PgBossQueueOptions, 'connectionString'> = {}, url?: string) {
  const at = url ?? (await cluster.createDatabase());
  const store = await openStore(at);
  const queue = await createPgBossQueue(store, { connectionString: at, supervise: false, ...options });
  open.push({ store, queue, url: at });
  return { store, queue, url: at };
}

/** pg-boss's deliveries of `key`, oldest first, as (state). */
async function deliveries(url: string, key: string): Promise<string[]> {
  const { rows } = await cluster.query(
    url,
    `select state from pgboss.job where singleton_key = '${key}' order by created_on, id`,
  );
  return rows.map((r) => r.state as string);
}

describe('the pg-boss queue', () => {
  it('adds a key once; a failed key is added again from scratch', async () => {
    const { queue, url } = await fresh({ maxAttempts: 1 });
    expect(await queue.enqueue([job('build:a'), job('build:b'), job('build:a')])).toEqual({
      added: ['build:a', 'build:b'],
      existing: ['build:a'],
    });
    expect(await deliveries(url, 'build:a')).toEqual(['created']);
    const a = await queue.claim('w1', ['build'], 5000);
    expect(a?.key).toBe('build:a');
    expect(await deliveries(url, 'build:a')).toEqual(['active']);
    expect(await queue.enqueue([job('build:a')])).toEqual({ added: [], existing: ['build:a'] });
    await queue.fail(a?.id ?? 0, 'w1', 'boom', { retryable: true });
    expect(await queue.get('build:a')).toMatchObject({ status: 'failed', error: 'boom', attempts: 1 });
    expect(await deliveries(url, 'build:a')).toEqual(['failed']);
    expect(await queue.enqueue([job('build:a', { payload: { again: true } })])).toEqual({
      added: ['build:a'],
      existing: [],
    });
    const again = await queue.get('build:a');
    expect(again).toMatchObject({ status: 'pending', attempts: 0, payload: { again: true }, id: a?.id });
    expect(again?.error).toBeUndefined();
    expect(await deliveries(url, 'build:a')).toEqual(['failed', 'created']);
    expect((await queue.claim('w1', ['build'], 5000))?.key).toBe('build:b');
    expect(await queue.claim('w1', ['build'], 5000)).toMatchObject({
      key: 'build:a',
      payload: { again: true },
    });
  });

  it('refuses malformed specs and bad claims, adding none of the batch', async () => {
    const { queue } = await fresh();
    const err = await failure(
      queue.enqueue([job('build:ok'), { key: 'build:x', kind: 'deploy', payload: {} } as never]),
    );
    expect(err).toMatchObject({ code: 'JOB_INVALID' });
    expect(err.message).toMatch(/job 2 \("build:x"\): kind "deploy"/);
    expect(await queue.list()).toEqual([]);
    for (const lease of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect((await failure(queue.claim('w', ['build'], lease))).message).toMatch(
        /a lease must be a positive/,
      );
      expect((await failure(queue.heartbeat(1, 'w', lease))).code).toBe('USAGE');
    }
    expect((await failure(queue.claim('', ['build'], 1000))).message).toMatch(/worker name is empty/);
    expect(await queue.claim('w', [], 1000)).toBeUndefined();
  });

  it('takes the highest priority, then the oldest, across the asked kinds', async () => {
    const { queue } = await fresh();
    await queue.enqueue([
      job('build:low'),
      job('build:high', { priority: 5 }),
      job('compose:top', { priority: 9 }),
      job('build:high2', { priority: 5 }),
      job('rescan:mid', { priority: 3 }),
      job('update-check:huge', { priority: 1_000_000 }),
    ]);
    const order: string[] = [];
    for (;;) {
      const j = await queue.claim('w', ['build', 'rescan'], 5000);
      if (j === undefined) break;
      order.push(j.key);
      expect(j).toMatchObject({ status: 'running', worker: 'w', attempts: 1 });
      expect(Date.parse(j.leaseUntil ?? '') - Date.parse(j.startedAt ?? '')).toBe(5000);
    }
    expect(order).toEqual(['build:high', 'build:high2', 'rescan:mid', 'build:low']);
    expect((await queue.claim('w', ['update-check', 'compose'], 5000))?.key).toBe('update-check:huge');
    expect((await queue.claim('w', ['update-check', 'compose'], 5000))?.key).toBe('compose:top');
  });

  it('sends a job to pg-boss once every `after` key has succeeded', async () => {
    const { queue, url } = await fresh();
    await queue.enqueue([
      job('compose:img', { after: ['build:lib', 'build:app'], priority: 10 }),
      job('build:app', { after: ['build:lib'] }),
      job('build:lib'),
    ]);
    expect(await deliveries(url, 'compose:img')).toEqual([]);
    expect(await deliveries(url, 'build:app')).toEqual([]);
    const lib = await queue.claim('w', ['build', 'compose'], 5000);
    expect(lib?.key).toBe('build:lib');
    expect(await queue.claim('w', ['build', 'compose'], 5000)).toBeUndefined();
    await queue.complete(lib?.id ?? 0, 'w', { packages: 1 });
    expect(await deliveries(url, 'build:lib')).toEqual(['completed']);
    expect(await deliveries(url, 'build:app')).toEqual(['created']);
    const app = await queue.claim('w', ['build', 'compose'], 5000);
    expect(app).toMatchObject({ key: 'build:app', after: ['build:lib'] });
    await queue.complete(app?.id ?? 0, 'w', {});
    expect((await queue.claim('w', ['build', 'compose'], 5000))?.key).toBe('compose:img');
    expect(await queue.get('build:lib')).toMatchObject({ status: 'succeeded', result: { packages: 1 } });
    // A job queued after its `after` keys succeeded is sent at once.
    await queue.enqueue([job('rescan:img', { after: ['build:lib'] })]);
    expect(await deliveries(url, 'rescan:img')).toEqual(['created']);
    expect(await queue.blocked()).toEqual([]);
  });

  it('keeps jobs blocked by a failed `after` key until it is queued again and succeeds', async () => {
    const { queue } = await fresh();
    await queue.enqueue([job('build:lib'), job('compose:b', { after: ['build:lib'] })]);
    const lib = await queue.claim('w', ['build'], 5000);
    await queue.fail(lib?.id ?? 0, 'w', 'broken recipe', { retryable: false });
    expect(await queue.get('build:lib')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'broken recipe',
    });
    expect(await queue.blocked()).toEqual([{ key: 'compose:b', waitingFor: ['build:lib'] }]);
    expect(await queue.claim('w', ['build', 'compose'], 5000)).toBeUndefined();
    await queue.enqueue([job('build:lib')]);
    const again = await queue.claim('w', ['build', 'compose'], 5000);
    expect(again?.key).toBe('build:lib');
    await queue.complete(again?.id ?? 0, 'w', {});
    expect((await queue.claim('w', ['build', 'compose'], 5000))?.key).toBe('compose:b');
  });

  it('retries with exponential backoff, capped, until the attempts run out', async () => {
    const { queue, url } = await fresh({ baseDelayMs: 200, maxDelayMs: 400, maxAttempts: 4 });
    await queue.enqueue([job('build:x')]);
    const expected = [200, 400, 400];
    for (let attempt = 1; attempt <= 4; attempt++) {
      let j = await queue.claim('w', ['build'], 60_000);
      for (let tries = 0; j === undefined && tries < 100; tries++) {
        await sleep(20);
        j = await queue.claim('w', ['build'], 60_000);
      }
      expect(j?.attempts).toBe(attempt);
      const before = Date.now();
      await queue.fail(j?.id ?? 0, 'w', `attempt ${attempt}`, { retryable: true });
      const after = Date.now();
      const record = await queue.get('build:x');
      if (attempt === 4) break;
      // runAfter = the failure's time (database clock, this machine) + the backoff.
      const runAfter = Date.parse(record?.runAfter ?? '');
      expect(runAfter - after, `attempt ${attempt}`).toBeLessThanOrEqual(expected[attempt - 1] as number);
      expect(runAfter - before, `attempt ${attempt}`).toBeGreaterThanOrEqual(expected[attempt - 1] as number);
      // pg-boss holds the next delivery until then.
      const { rows } = await cluster.query(
        url,
        `select start_after from pgboss.job where singleton_key = 'build:x' and state = 'created'`,
      );
      expect(rows.map((r) => (r.start_after as Date).toISOString())).toEqual([record?.runAfter]);
      if (Date.now() < runAfter - 20) expect(await queue.claim('w', ['build'], 60_000)).toBeUndefined();
    }
    expect(await queue.get('build:x')).toMatchObject({ status: 'failed', attempts: 4, error: 'attempt 4' });
    expect(await deliveries(url, 'build:x')).toEqual(['failed', 'failed', 'failed', 'failed']);
  });

  it('heartbeats extend; an expired lease goes to another worker and the first is refused', async () => {
    const { queue, url } = await fresh({ maxAttempts: 3 });
    await queue.enqueue([job('build:x')]);
    const first = await queue.claim('w1', ['build'], 600);
    const id = first?.id ?? 0;
    await sleep(400);
    expect(await queue.heartbeat(id, 'w1', 600)).toBe(true);
    expect(await queue.heartbeat(id, 'w2', 600)).toBe(false);
    await sleep(400);
    expect(await queue.claim('w2', ['build'], 600)).toBeUndefined();
    await sleep(400);
    expect(await queue.heartbeat(id, 'w1', 600)).toBe(false);
    const late = await failure(queue.complete(id, 'w1', {}));
    expect(late.code).toBe('JOB_LEASE_LOST');
    expect(late.message).toMatch(/job \d+ \(build:x\): w1 cannot complete it: its lease expired at/);
    const second = await queue.claim('w2', ['build'], 5000);
    expect(second).toMatchObject({ id, worker: 'w2', attempts: 2, error: WORKER_LOST });
    expect(await deliveries(url, 'build:x')).toEqual(['failed', 'active']);
    expect((await failure(queue.complete(id, 'w1', {}))).message).toMatch(/it is leased to w2/);
    expect((await failure(queue.fail(id, 'w1', 'x', { retryable: true }))).code).toBe('JOB_LEASE_LOST');
    await queue.complete(id, 'w2', { ok: true });
    expect((await failure(queue.complete(id, 'w2', {}))).message).toMatch(/it is succeeded/);
    expect((await failure(queue.complete(999, 'w2', {}))).code).toBe('NOT_FOUND');
    expect(await queue.get('build:x')).toMatchObject({
      status: 'succeeded',
      worker: 'w2',
      result: { ok: true },
    });
    expect(await deliveries(url, 'build:x')).toEqual(['failed', 'completed']);
  });

  it('a job whose workers keep vanishing fails as worker lost after maxAttempts', async () => {
    const { queue } = await fresh({ maxAttempts: 2 });
    await queue.enqueue([job('build:x'), job('rescan:y')]);
    expect((await queue.claim('w1', ['build'], 300))?.attempts).toBe(1);
    await sleep(350);
    expect((await queue.claim('w2', ['build'], 300))?.attempts).toBe(2);
    await sleep(350);
    // Expired leases are reaped whatever kinds the claimer asks for.
    expect((await queue.claim('w3', ['rescan'], 5000))?.key).toBe('rescan:y');
    expect(await queue.get('build:x')).toMatchObject({ status: 'failed', attempts: 2, error: WORKER_LOST });
    expect(await queue.stats()).toEqual({ pending: 0, running: 1, succeeded: 0, failed: 1 });
    expect((await queue.statsByKind()).build).toEqual({ pending: 0, running: 0, succeeded: 0, failed: 1 });
    expect(await queue.claim('w3', ['build'], 5000)).toBeUndefined();
  });

  it('parallel claim loops on two queues (two pg-boss instances) never share a job', async () => {
    const { queue, url } = await fresh();
    const { queue: other } = await fresh({}, url);
    const keys = Array.from({ length: 60 }, (_, i) => `build:p${i}`);
    await queue.enqueue(keys.map((k, i) => job(k, { priority: i % 3 })));
    const done: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, loop) => {
        const worker = `w${loop}`;
        const q = loop % 2 === 0 ? queue : other;
        for (;;) {
          const j = await q.claim(worker, ['build'], 60_000);
          if (j === undefined) return;
          done.push(j.key);
          await new Promise((resolve) => setImmediate(resolve));
          await q.complete(j.id, worker, { by: worker });
        }
      }),
    );
    expect(done.length).toBe(keys.length);
    expect(new Set(done).size).toBe(keys.length);
    expect(await queue.stats()).toEqual({ pending: 0, running: 0, succeeded: 60, failed: 0 });
    const { rows } = await cluster.query(
      url,
      `select state, count(*)::int as n from pgboss.job group by state`,
    );
    expect(rows).toEqual([{ state: 'completed', n: 60 }]);
  });

  it('delivers jobs an embedded store queue left pending when it starts', async () => {
    const url = await cluster.createDatabase();
    const setup = await openStore(url);
    await createStoreQueue(setup).enqueue([job('build:old'), job('compose:old', { after: ['build:old'] })]);
    await setup.close();
    const { queue } = await fresh({}, url);
    const old = await queue.claim('w', ['build', 'compose'], 5000);
    expect(old?.key).toBe('build:old');
    await queue.complete(old?.id ?? 0, 'w', {});
    expect((await queue.claim('w', ['build', 'compose'], 5000))?.key).toBe('compose:old');
  });

  it('delivers what a store queue on the same database queues or completes, at the next sweep', async () => {
    const { store, queue } = await fresh({ sweepMs: 300 });
    const embedded = createStoreQueue(store);
    await embedded.enqueue([job('build:lib'), job('compose:app', { after: ['build:lib'] })]);
    expect(await queue.claim('w', ['build', 'compose'], 5000)).toBeUndefined();
    await sleep(350);
    // The sweep sends it; pg-boss hands it out from the next claim on.
    let lib = await queue.claim('w', ['build', 'compose'], 5000);
    if (lib === undefined) lib = await queue.claim('w', ['build', 'compose'], 5000);
    expect(lib?.key).toBe('build:lib');
    // Completed through the store queue: no dependent is sent until the next sweep.
    await embedded.complete(lib?.id ?? 0, 'w', {});
    expect(await queue.claim('w', ['build', 'compose'], 5000)).toBeUndefined();
    await sleep(350);
    let app = await queue.claim('w', ['build', 'compose'], 5000);
    if (app === undefined) app = await queue.claim('w', ['build', 'compose'], 5000);
    expect(app).toMatchObject({ key: 'compose:app', attempts: 1 });
    // A store queue claiming a delivered job first: the delivery is discarded, never run twice.
    await queue.enqueue([job('rescan:x')]);
    const taken = await embedded.claim('embedded', ['rescan'], 5000);
    expect(taken?.key).toBe('rescan:x');
    expect(await queue.claim('w', ['rescan'], 5000)).toBeUndefined();
    expect(await queue.get('rescan:x')).toMatchObject({ status: 'running', worker: 'embedded', attempts: 1 });
  });

  it('refuses a SQLite store, a bad schema name and pg-boss in another database', async () => {
    const sqlite = await openStore(':memory:');
    try {
      const err = await failure(createPgBossQueue(sqlite, { connectionString: cluster.url }));
      expect(err).toMatchObject({ code: 'USAGE' });
      expect(err.message).toMatch(/needs a PostgreSQL store, not :memory:/);
    } finally {
      await sqlite.close();
    }
    const url = await cluster.createDatabase();
    const store = await openStore(url);
    try {
      expect(
        (await failure(createPgBossQueue(store, { connectionString: url, schema: 'Bad-Name' }))).message,
      ).toMatch(/pg-boss schema "Bad-Name" is not a lower-case identifier/);
      const elsewhere = await cluster.createDatabase();
      const err = await failure(createPgBossQueue(store, { connectionString: elsewhere, supervise: false }));
      expect(err.message).toMatch(/pg-boss's tables \(schema pgboss\) are not in the store's database/);
      const down = await failure(
        createPgBossQueue(store, { connectionString: cluster.urlOf('nosuchdb'), supervise: false }),
      );
      expect(down.code).toBe('STORE_UNAVAILABLE');
    } finally {
      await store.close();
    }
  });
});
