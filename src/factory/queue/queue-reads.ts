import type { Store } from '../../store/index.js';
import type { JobKind, JobRecord, JobStatus } from '../model.js';
import { JOB_KINDS, JOB_STATUSES, jobRecordOf } from './job-rows.js';

/** The job of `key`, if queued. */
export async function getJob(store: Store, key: string): Promise<JobRecord | undefined> {
  const row = await store.db.selectFrom('factory_jobs').selectAll().where('key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : jobRecordOf(row);
}

/** Jobs in queue order (oldest first), optionally of one status or kind. */
export async function listJobs(
  store: Store,
  filter: { readonly status?: JobStatus; readonly kind?: JobKind; readonly limit?: number },
): Promise<JobRecord[]> {
  const rows = await store.db
    .selectFrom('factory_jobs')
    .selectAll()
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as JobStatus))
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind as JobKind))
    .orderBy('id', 'asc')
    .$if(filter.limit !== undefined, (q) => q.limit(filter.limit as number))
    .execute();
  return rows.map(jobRecordOf);
}

/** Jobs per kind and status (every kind and status present, zero when none). */
export async function jobStatsByKind(store: Store): Promise<Record<JobKind, Record<JobStatus, number>>> {
  const rows = await store.db
    .selectFrom('factory_jobs')
    .select(['kind', 'status', (eb) => eb.fn.countAll().as('n')])
    .groupBy(['kind', 'status'])
    .execute();
  const out = Object.fromEntries(
    JOB_KINDS.map((k) => [k, Object.fromEntries(JOB_STATUSES.map((s) => [s, 0]))]),
  ) as Record<JobKind, Record<JobStatus, number>>;
  for (const r of rows) {
    const counts = out[r.kind as JobKind];
    if (counts !== undefined && r.status in counts) counts[r.status as JobStatus] += Number(r.n);
  }
  return out;
}

/** Jobs per status, over all kinds. */
export async function jobStats(store: Store): Promise<Record<JobStatus, number>> {
  const byKind = await jobStatsByKind(store);
  const totals = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
  for (const counts of Object.values(byKind)) for (const s of JOB_STATUSES) totals[s] += counts[s];
  return totals;
}

/** Pending jobs waiting on an `after` key that failed or was never queued, by key. */
export async function blockedJobs(
  store: Store,
): Promise<{ readonly key: string; readonly waitingFor: readonly string[] }[]> {
  const rows = await store.db
    .selectFrom('factory_job_after as a')
    .innerJoin('factory_jobs as j', 'j.key', 'a.job_key')
    .leftJoin('factory_jobs as d', 'd.key', 'a.after_key')
    .select(['a.job_key', 'a.after_key'])
    .where('j.status', '=', 'pending')
    .where((eb) => eb.or([eb('d.status', 'is', null), eb('d.status', '=', 'failed')]))
    .orderBy('a.job_key')
    .orderBy('a.after_key')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.job_key) ?? [];
    list.push(r.after_key);
    out.set(r.job_key, list);
  }
  return [...out].map(([key, waitingFor]) => ({ key, waitingFor }));
}
