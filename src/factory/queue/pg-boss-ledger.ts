import { type Kysely, sql } from 'kysely';
import type { StoreSchema } from '../../store/index.js';
import type { JobSpec } from '../model.js';
import { addAfterKeys, pendingFields } from './job-leases.js';
import { bossQueueName, type DeliveryRow } from './pg-boss-delivery.js';

/**
 * The factory_jobs ledger as the pg-boss queue keeps it: the same rows and states as the store
 * queue, so get/list/stats/blocked read it unchanged. Times come from the database clock, the one
 * clock every machine shares.
 */

type Trx = Kysely<StoreSchema>;

/** The database's clock, as an ISO string and as milliseconds. */
export async function dbNow(trx: Trx): Promise<{ readonly iso: string; readonly ms: number }> {
  const { rows } = await sql<{ now: string }>`
    select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`.execute(
    trx,
  );
  const iso = rows[0]?.now ?? '';
  return { iso, ms: Date.parse(iso) };
}

/** Ledger jobs whose every `after` key succeeded (a condition on `factory_jobs as j`). */
const afterKeysSucceeded = sql<boolean>`not exists (
  select 1 from factory_job_after a
  where a.job_key = j.key
    and not exists (select 1 from factory_jobs d where d.key = a.after_key and d.status = 'succeeded'))`;

/**
 * Adds or re-adds one spec (a key that is not pending, running or succeeded). Returns the row
 * when added, undefined when the key exists.
 */
export async function addLedgerJob(
  trx: Trx,
  spec: JobSpec,
  now: string,
  maxAttempts: number,
): Promise<DeliveryRow | undefined> {
  const row = await trx
    .selectFrom('factory_jobs')
    .select(['id', 'status'])
    .where('key', '=', spec.key)
    .forUpdate()
    .executeTakeFirst();
  if (row !== undefined && row.status !== 'failed') return undefined;
  const fields = pendingFields(spec, now, maxAttempts);
  let id: number | string;
  if (row === undefined) {
    const inserted = await trx
      .insertInto('factory_jobs')
      .values({ key: spec.key, created_at: now, ...fields })
      .onConflict((c) => c.column('key').doNothing())
      .returning('id')
      .executeTakeFirst();
    // Another transaction inserted the key since the select.
    if (inserted === undefined) return undefined;
    id = inserted.id;
  } else {
    await trx.updateTable('factory_jobs').set(fields).where('id', '=', row.id).execute();
    await trx.deleteFrom('factory_job_after').where('job_key', '=', spec.key).execute();
    id = row.id;
  }
  await addAfterKeys(trx, spec);
  return { id, key: spec.key, kind: spec.kind, priority: spec.priority ?? 0 };
}

/** Whether the pending job `key` may run: every `after` key succeeded. */
export async function isReady(trx: Trx, key: string): Promise<boolean> {
  const { rows } = await sql<{ ready: boolean }>`
    select ${afterKeysSucceeded} as ready from factory_jobs j where j.key = ${key}`.execute(trx);
  return rows[0]?.ready === true;
}

/** Pending jobs waiting on `key` that may run now that it succeeded. */
export async function readyDependents(trx: Trx, key: string): Promise<DeliveryRow[]> {
  const { rows } = await sql<DeliveryRow>`
    select j.id, j.key, j.kind, j.priority from factory_jobs j
    where j.status = 'pending'
      and j.key in (select job_key from factory_job_after where after_key = ${key})
      and ${afterKeysSucceeded}
    order by j.id`.execute(trx);
  return rows;
}

/**
 * Pending, runnable ledger jobs without a live delivery in pg-boss (`jobTable`): jobs queued
 * before pg-boss carried them (an embedded store moved to workers), or by a store queue.
 */
export async function undelivered(
  trx: Trx,
  jobTable: string,
): Promise<(DeliveryRow & { run_after: string })[]> {
  const { rows } = await sql<DeliveryRow & { run_after: string }>`
    select j.id, j.key, j.kind, j.priority, j.run_after from factory_jobs j
    where j.status = 'pending' and ${afterKeysSucceeded}
      and not exists (select 1 from ${sql.raw(jobTable)} b
        where b.name = ${bossQueueName('')} || j.kind and b.singleton_key = j.key and b.state < 'completed')
    order by j.id`.execute(trx);
  return rows;
}
