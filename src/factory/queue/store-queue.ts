import { type Kysely, sql } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { Store, StoreSchema } from '../../store/index.js';
import type { JobKind, JobStatus, Queue } from '../model.js';
import { backoffDelay } from './backoff.js';
import {
  addAfterKeys,
  checkClaim,
  checkLease,
  failedFields,
  holdsLease,
  owned,
  pendingFields,
  reapExpired,
  refuse,
  succeededFields,
} from './job-leases.js';
import { checkJobSpec, type JobRow, jobRecordOf } from './job-rows.js';
import { blockedJobs, getJob, jobStats, jobStatsByKind, listJobs } from './queue-reads.js';

/** Options of createStoreQueue. */
export interface StoreQueueOptions {
  /** Delay before the first retry of a retryable failure (ms, default 1000). */
  readonly baseDelayMs?: number;
  /** Longest retry delay (ms, default 5 minutes). */
  readonly maxDelayMs?: number;
  /** Attempts (claims) a job gets before it fails for good (default 5). */
  readonly maxAttempts?: number;
  /** Milliseconds since the epoch (default Date.now); tests pass a fake clock. */
  readonly clock?: () => number;
}

/** The store queue: the Queue seam plus counts by kind for /metrics. */
export interface StoreQueue extends Queue {
  /** Jobs per kind and status. */
  statsByKind(): Promise<Readonly<Record<JobKind, Readonly<Record<JobStatus, number>>>>>;
  /**
   * Pending jobs that cannot run as things stand: an `after` key failed for good or was never
   * queued (they run once it is enqueued again and succeeds). By job key.
   */
  blocked(): Promise<readonly { readonly key: string; readonly waitingFor: readonly string[] }[]>;
}

export { WORKER_LOST } from './job-leases.js';

/**
 * The Queue seam over the store's `factory_jobs` table (SQLite or PostgreSQL). Every state change
 * happens in one write transaction whose updates re-check the state they expect, so concurrent
 * workers in one or many processes never claim the same job and a job succeeds at most once.
 * A claim counts an attempt; a lease that expires before complete/fail makes the job claimable
 * again (or failed with WORKER_LOST once its attempts are used up), and the late worker's
 * complete/fail/heartbeat are refused (JOB_LEASE_LOST / false).
 */
export function createStoreQueue(store: Store, options: StoreQueueOptions = {}): StoreQueue {
  const backoff = { baseDelayMs: options.baseDelayMs ?? 1000, maxDelayMs: options.maxDelayMs ?? 300_000 };
  const maxAttempts = options.maxAttempts ?? 5;
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)
    throw new LarderError('USAGE', `maxAttempts must be a positive integer, not ${maxAttempts}`);
  const clock = options.clock ?? Date.now;
  const iso = (ms: number): string => new Date(ms).toISOString();
  // Row locks exist only on PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes writers.
  const rowLocks = store.dialect !== 'sqlite';

  const rowById = (db: Kysely<StoreSchema>, id: number): Promise<JobRow | undefined> =>
    db.selectFrom('factory_jobs').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    async enqueue(jobs) {
      jobs.forEach(checkJobSpec);
      return store.write(async (db) => {
        const now = iso(clock());
        const added: string[] = [];
        const existing: string[] = [];
        for (const spec of jobs) {
          const row = await db
            .selectFrom('factory_jobs')
            .select(['id', 'status'])
            .where('key', '=', spec.key)
            .executeTakeFirst();
          if (row !== undefined && row.status !== 'failed') {
            existing.push(spec.key);
            continue;
          }
          const fields = pendingFields(spec, now, maxAttempts);
          if (row === undefined) {
            const inserted = await db
              .insertInto('factory_jobs')
              .values({ key: spec.key, created_at: now, ...fields })
              .onConflict((c) => c.column('key').doNothing())
              .executeTakeFirst();
            // PostgreSQL: another transaction inserted the key since the select.
            if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
              existing.push(spec.key);
              continue;
            }
          } else {
            const updated = await db
              .updateTable('factory_jobs')
              .set(fields)
              .where('id', '=', row.id)
              .where('status', '=', 'failed')
              .executeTakeFirst();
            if (Number(updated.numUpdatedRows) === 0) {
              existing.push(spec.key);
              continue;
            }
            await db.deleteFrom('factory_job_after').where('job_key', '=', spec.key).execute();
          }
          await addAfterKeys(db, spec);
          added.push(spec.key);
        }
        return { added, existing };
      });
    },

    async claim(worker, kinds, leaseMs) {
      checkClaim(worker, leaseMs);
      if (kinds.length === 0) return undefined;
      return store.write(async (db) => {
        const nowMs = clock();
        const now = iso(nowMs);
        // Leases that ran out: the attempt is spent; out of attempts means failed for good.
        await reapExpired(db, now);
        const candidate = await db
          .selectFrom('factory_jobs as j')
          .select('j.id')
          .where('j.status', '=', 'pending')
          .where('j.kind', 'in', kinds)
          .where('j.run_after', '<=', now)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('factory_job_after as a')
                  .select(sql<number>`1`.as('one'))
                  .whereRef('a.job_key', '=', 'j.key')
                  .where(({ not, exists, selectFrom }) =>
                    not(
                      exists(
                        selectFrom('factory_jobs as d')
                          .select(sql<number>`1`.as('one'))
                          .whereRef('d.key', '=', 'a.after_key')
                          .where('d.status', '=', 'succeeded'),
                      ),
                    ),
                  ),
              ),
            ),
          )
          .orderBy('j.priority', 'desc')
          .orderBy('j.id', 'asc')
          .limit(1)
          .$if(rowLocks, (q) => q.forUpdate().skipLocked())
          .executeTakeFirst();
        if (candidate === undefined) return undefined;
        const taken = await db
          .updateTable('factory_jobs')
          .set((eb) => ({
            status: 'running',
            worker,
            lease_until: iso(nowMs + leaseMs),
            attempts: eb('attempts', '+', 1),
            started_at: now,
          }))
          .where('id', '=', candidate.id)
          .where('status', '=', 'pending')
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) === 0) return undefined;
        const row = await rowById(db, Number(candidate.id));
        return row === undefined ? undefined : jobRecordOf(row);
      });
    },

    async heartbeat(id, worker, leaseMs) {
      checkLease(leaseMs);
      return store.write(async (db) => {
        const nowMs = clock();
        const r = await owned(db, id, worker, iso(nowMs))
          .set({ lease_until: iso(nowMs + leaseMs) })
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      });
    },

    async complete(id, worker, result) {
      await store.write(async (db) => {
        const now = iso(clock());
        const r = await owned(db, id, worker, now).set(succeededFields(now, result)).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) await refuse(db, id, worker, 'complete it');
      });
    },

    async fail(id, worker, error, { retryable }) {
      await store.write(async (db) => {
        const nowMs = clock();
        const now = iso(nowMs);
        const row = await rowById(db, id);
        if (!holdsLease(row, worker, now)) return refuse(db, id, worker, 'fail it');
        const attempts = Number(row.attempts);
        const retry = retryable && attempts < Number(row.max_attempts);
        const r = await owned(db, id, worker, now)
          .set(failedFields(retry, error, now, iso(nowMs + backoffDelay(attempts, backoff))))
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) await refuse(db, id, worker, 'fail it');
      });
    },

    get: (key) => getJob(store, key),
    list: (filter = {}) => listJobs(store, filter),
    stats: () => jobStats(store),
    statsByKind: () => jobStatsByKind(store),
    blocked: () => blockedJobs(store),
  } satisfies StoreQueue;
}
