import { type Kysely, sql } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { Store, StoreSchema } from '../../store/index.js';
import { backoffDelay } from './backoff.js';
import {
  checkClaim,
  checkLease,
  failedFields,
  holdsLease,
  owned,
  reapExpired,
  refuse,
  succeededFields,
} from './job-leases.js';
import { checkJobSpec, jobRecordOf } from './job-rows.js';
import { startBoss } from './pg-boss-boss.js';
import { createDelivery } from './pg-boss-delivery.js';
import { addLedgerJob, dbNow, isReady, readyDependents, undelivered } from './pg-boss-ledger.js';
import { blockedJobs, getJob, jobStats, jobStatsByKind, listJobs } from './queue-reads.js';
import type { StoreQueue } from './store-queue.js';

/** Options of createPgBossQueue. */
export interface PgBossQueueOptions {
  /** PostgreSQL URL of the store's database: pg-boss keeps its tables there, in `schema`. */
  readonly connectionString: string;
  /** pg-boss's schema (default `pgboss`): a lower-case identifier. */
  readonly schema?: string;
  /** Delay before the first retry of a retryable failure (ms, default 1000). */
  readonly baseDelayMs?: number;
  /** Longest retry delay (ms, default 5 minutes). */
  readonly maxDelayMs?: number;
  /** Attempts (claims) a job gets before it fails for good (default 5). */
  readonly maxAttempts?: number;
  /** Run pg-boss's maintenance (archiving finished deliveries) from this process (default true). */
  readonly supervise?: boolean;
  /**
   * How often a claim looks for pending jobs without a delivery (ms, default 5000): jobs another
   * process queued or completed through a store queue on the same database (createStoreQueue).
   */
  readonly sweepMs?: number;
  /** pg-boss's background errors (maintenance); ignored by default (libraries never print). */
  readonly onError?: (error: Error) => void;
}

/** The pg-boss queue: the store queue's reads plus close() (stops pg-boss; the store stays open). */
export interface PgBossQueue extends StoreQueue {
  close(): Promise<void>;
}

/** Serializes enqueue and complete, so a job whose last `after` key completes concurrently is still sent. */
const AFTER_LOCK_KEY = 0x6c617271;

/**
 * The Queue seam on PostgreSQL with pg-boss doing the delivery (docs/factory.md "Many machines").
 * factory_jobs stays the ledger the API reads and the judge of leases and attempts; pg-boss holds
 * one delivery per runnable job, sent when its `after` keys have succeeded and sent again after a
 * retryable failure (from the backoff's time) or a lost lease. Each call is one store transaction
 * that changes the ledger and pg-boss together, so a crash never leaves them disagreeing; a
 * delivery whose ledger job is not pending is discarded when fetched, and pending jobs without a
 * delivery (queued by an embedded store queue) are sent when the queue starts.
 */
export async function createPgBossQueue(store: Store, options: PgBossQueueOptions): Promise<PgBossQueue> {
  if (store.dialect !== 'postgres')
    throw new LarderError('USAGE', `the pg-boss queue needs a PostgreSQL store, not ${store.location}`);
  const schema = options.schema ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(schema))
    throw new LarderError('USAGE', `pg-boss schema ${JSON.stringify(schema)} is not a lower-case identifier`);
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)
    throw new LarderError('USAGE', `maxAttempts must be a positive integer, not ${maxAttempts}`);
  const backoff = { baseDelayMs: options.baseDelayMs ?? 1000, maxDelayMs: options.maxDelayMs ?? 300_000 };

  const boss = await startBoss(store, {
    connectionString: options.connectionString,
    schema,
    supervise: options.supervise ?? true,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  const delivery = createDelivery(boss, schema);
  const afterLock = (trx: Kysely<StoreSchema>) =>
    sql`select pg_advisory_xact_lock(${sql.lit(AFTER_LOCK_KEY)})`.execute(trx);

  // Pending jobs nobody delivered yet (queued before pg-boss carried them, or by a store queue).
  const sweepMs = options.sweepMs ?? 5000;
  let sweptAt = Number.NEGATIVE_INFINITY;
  const sweep = async (trx: Kysely<StoreSchema>) => {
    sweptAt = Date.now();
    for (const row of await undelivered(trx, delivery.jobTable)) await delivery.send(trx, row, row.run_after);
  };
  await store.write(sweep);

  const iso = (ms: number) => new Date(ms).toISOString();

  return {
    async enqueue(jobs) {
      jobs.forEach(checkJobSpec);
      return store.write(async (trx) => {
        await afterLock(trx);
        const { iso: now } = await dbNow(trx);
        const added: string[] = [];
        const existing: string[] = [];
        for (const spec of jobs) {
          const row = await addLedgerJob(trx, spec, now, maxAttempts);
          if (row === undefined) {
            existing.push(spec.key);
            continue;
          }
          if (await isReady(trx, spec.key)) await delivery.send(trx, row);
          added.push(spec.key);
        }
        return { added, existing };
      });
    },

    async claim(worker, kinds, leaseMs) {
      checkClaim(worker, leaseMs);
      if (kinds.length === 0) return undefined;
      return store.write(async (trx) => {
        const now = await dbNow(trx);
        const reaped = await reapExpired(trx, now.iso);
        for (const row of reaped.failed) await delivery.end(trx, row, 'fail', { error: 'worker lost' });
        for (const row of reaped.retried) {
          await delivery.end(trx, row, 'fail', { error: 'worker lost' });
          // Due before this transaction began (pg-boss fetches start_after < now()): claimable here.
          await delivery.send(trx, row, iso(now.ms - 1000));
        }
        if (Date.now() - sweptAt >= sweepMs) await sweep(trx);
        for (;;) {
          const next = await delivery.fetch(trx, kinds);
          if (next === undefined) return undefined;
          const row = await trx
            .updateTable('factory_jobs')
            .set((eb) => ({
              status: 'running',
              worker,
              lease_until: iso(now.ms + leaseMs),
              attempts: eb('attempts', '+', 1),
              started_at: now.iso,
            }))
            .where('id', '=', next.data.id)
            .where('key', '=', next.data.key)
            .where('status', '=', 'pending')
            .returningAll()
            .executeTakeFirst();
          if (row !== undefined) return jobRecordOf(row);
          await delivery.discard(trx, next.queue, next.bossId);
        }
      });
    },

    async heartbeat(id, worker, leaseMs) {
      checkLease(leaseMs);
      return store.write(async (trx) => {
        const now = await dbNow(trx);
        const r = await owned(trx, id, worker, now.iso)
          .set({ lease_until: iso(now.ms + leaseMs) })
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      });
    },

    async complete(id, worker, result) {
      await store.write(async (trx) => {
        await afterLock(trx);
        const { iso: now } = await dbNow(trx);
        const row = await owned(trx, id, worker, now)
          .set(succeededFields(now, result))
          .returning(['key', 'kind'])
          .executeTakeFirst();
        if (row === undefined) return refuse(trx, id, worker, 'complete it');
        await delivery.end(trx, row, 'complete', { worker });
        for (const dependent of await readyDependents(trx, row.key)) await delivery.send(trx, dependent);
      });
    },

    async fail(id, worker, error, { retryable }) {
      await store.write(async (trx) => {
        const now = await dbNow(trx);
        const row = await trx
          .selectFrom('factory_jobs')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!holdsLease(row, worker, now.iso)) return refuse(trx, id, worker, 'fail it');
        const attempts = Number(row.attempts);
        const retry = retryable && attempts < Number(row.max_attempts);
        const runAfter = iso(now.ms + backoffDelay(attempts, backoff));
        await owned(trx, id, worker, now.iso)
          .set(failedFields(retry, error, now.iso, runAfter))
          .execute();
        await delivery.end(trx, row, 'fail', { error });
        if (retry) await delivery.send(trx, row, runAfter);
      });
    },

    get: (key) => getJob(store, key),
    list: (filter = {}) => listJobs(store, filter),
    stats: () => jobStats(store),
    statsByKind: () => jobStatsByKind(store),
    blocked: () => blockedJobs(store),
    async close() {
      await boss.stop({ graceful: false });
    },
  } satisfies PgBossQueue;
}
