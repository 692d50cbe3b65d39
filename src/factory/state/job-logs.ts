import { sql } from 'kysely';
import type { Store } from '../../store/index.js';

/** One stored line of a job's log (the service's JobLogLine). */
export interface StoredJobLogLine {
  /** Per job key, from 1, without gaps. */
  readonly seq: number;
  /** ISO time. */
  readonly at: string;
  readonly line: string;
}

/** Rows per INSERT statement (4 parameters each: well under SQLite's and PostgreSQL's limits). */
const CHUNK = 250;

/**
 * Appends lines to a job's log in one transaction; their `seq` continues after the last stored
 * one (from 1, without gaps). Returns the seq of the last line appended (the previous last when
 * `lines` is empty). On PostgreSQL concurrent appenders of one key are serialized by an advisory
 * lock on the key; SQLite's write transaction already serializes them.
 */
export async function appendJobLog(
  store: Store,
  key: string,
  lines: readonly { readonly at: string; readonly line: string }[],
): Promise<number> {
  return store.write(async (db) => {
    if (store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
    const last = await db
      .selectFrom('factory_job_logs')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('job_key', '=', key)
      .executeTakeFirst();
    let seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq);
    for (let i = 0; i < lines.length; i += CHUNK) {
      const rows = lines.slice(i, i + CHUNK).map((l) => {
        seq += 1;
        return { job_key: key, seq, at: l.at, line: l.line };
      });
      await db.insertInto('factory_job_logs').values(rows).execute();
    }
    return seq;
  });
}

/** A job's log lines with seq greater than `afterSeq` (0: all), in order; at most `limit` (default 10000). */
export async function readJobLog(
  store: Store,
  key: string,
  afterSeq: number,
  limit = 10_000,
): Promise<StoredJobLogLine[]> {
  const rows = await store.db
    .selectFrom('factory_job_logs')
    .select(['seq', 'at', 'line'])
    .where('job_key', '=', key)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), at: r.at, line: r.line }));
}
