import type { Kysely, UpdateQueryBuilder, UpdateResult } from 'kysely';
import { LarderError } from '../../core/index.js';
import type { StoreSchema } from '../../store/index.js';
import type { JobSpec } from '../model.js';
import type { JobRow } from './job-rows.js';

/**
 * The factory_jobs rules both queues share (the store queue and the pg-boss queue keep the same
 * ledger): a job's fields when (re-)added, the lease a worker holds, why a late worker is refused,
 * and how expired leases are reaped.
 */

type Db = Kysely<StoreSchema>;
type JobsUpdate = UpdateQueryBuilder<StoreSchema, 'factory_jobs', 'factory_jobs', UpdateResult>;

/** Why a job whose worker vanished is failed or retried. */
export const WORKER_LOST = 'worker lost (lease expired)';

/** Throws USAGE unless `leaseMs` is a positive number of milliseconds. */
export function checkLease(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0)
    throw new LarderError('USAGE', `a lease must be a positive number of milliseconds, not ${leaseMs}`);
}

/** Throws USAGE for a claim by an empty worker name or with a bad lease. */
export function checkClaim(worker: string, leaseMs: number): void {
  if (worker === '') throw new LarderError('USAGE', 'claim: the worker name is empty');
  checkLease(leaseMs);
}

/** An update of job `id` that only touches it while `worker` holds a lease still valid at `now`. */
export function owned(db: Db, id: number, worker: string, now: string): JobsUpdate {
  return db
    .updateTable('factory_jobs')
    .where('id', '=', id)
    .where('worker', '=', worker)
    .where('status', '=', 'running')
    .where('lease_until', '>=', now);
}

/** Whether `row` is running under `worker`'s lease, still valid at `now`. */
export function holdsLease(row: JobRow | undefined, worker: string, now: string): row is JobRow {
  return (
    row !== undefined && row.worker === worker && row.status === 'running' && (row.lease_until ?? '') >= now
  );
}

/** Throws the reason `worker` may no longer `action` job `id` (NOT_FOUND or JOB_LEASE_LOST). */
export async function refuse(db: Db, id: number, worker: string, action: string): Promise<never> {
  const row = await db.selectFrom('factory_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined)
    throw new LarderError('NOT_FOUND', `job ${id}: no such job`, { subject: String(id) });
  const state =
    row.status !== 'running'
      ? `it is ${row.status}`
      : row.worker !== worker
        ? `it is leased to ${row.worker}`
        : `its lease expired at ${row.lease_until}`;
  throw new LarderError('JOB_LEASE_LOST', `job ${id} (${row.key}): ${worker} cannot ${action}: ${state}`, {
    subject: row.key,
  });
}

/** The columns of `spec` (re-)added as a fresh pending job at `now` (all but key and created_at). */
export function pendingFields(spec: JobSpec, now: string, maxAttempts: number) {
  return {
    kind: spec.kind,
    payload: JSON.stringify(spec.payload),
    priority: spec.priority ?? 0,
    after: JSON.stringify(spec.after ?? []),
    status: 'pending',
    attempts: 0,
    max_attempts: maxAttempts,
    run_after: now,
    started_at: null,
    finished_at: null,
    worker: null,
    lease_until: null,
    error: null,
    result: null,
  } as const;
}

/** Records the `after` keys of `spec` (the caller deleted any older ones). */
export async function addAfterKeys(db: Db, spec: JobSpec): Promise<void> {
  const after = [...new Set(spec.after ?? [])];
  if (after.length > 0)
    await db
      .insertInto('factory_job_after')
      .values(after.map((k) => ({ job_key: spec.key, after_key: k })))
      .execute();
}

/** The columns of a job that succeeded at `now` with `result`. */
export function succeededFields(now: string, result: unknown) {
  return {
    status: 'succeeded',
    finished_at: now,
    lease_until: null,
    error: null,
    result: JSON.stringify(result),
  } as const;
}

/** The columns of a failed attempt: back to pending until `runAfter` when retried, else failed at `now`. */
export function failedFields(retry: boolean, error: string, now: string, runAfter: string) {
  return retry
    ? ({ status: 'pending', worker: null, lease_until: null, error, run_after: runAfter } as const)
    : ({ status: 'failed', finished_at: now, lease_until: null, error } as const);
}

/** A job a reap changed, as the pg-boss queue's deliveries name it. */
export interface ReapedJob {
  readonly id: number;
  readonly key: string;
  readonly kind: string;
  readonly priority: number;
}

/**
 * Reaps running jobs whose lease ran out before `now`: spent attempts fail for good with
 * WORKER_LOST, the others go back to pending. On PostgreSQL the updates' row locks make each
 * expired job reaped by one claimer only.
 */
export async function reapExpired(
  db: Db,
  now: string,
): Promise<{ readonly failed: ReapedJob[]; readonly retried: ReapedJob[] }> {
  const failed = await db
    .updateTable('factory_jobs')
    .set({ status: 'failed', finished_at: now, lease_until: null, error: WORKER_LOST })
    .where('status', '=', 'running')
    .where('lease_until', '<', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .returning(['id', 'key', 'kind', 'priority'])
    .execute();
  const retried = await db
    .updateTable('factory_jobs')
    .set({ status: 'pending', worker: null, lease_until: null, run_after: now, error: WORKER_LOST })
    .where('status', '=', 'running')
    .where('lease_until', '<', now)
    .returning(['id', 'key', 'kind', 'priority'])
    .execute();
  return { failed, retried };
}
