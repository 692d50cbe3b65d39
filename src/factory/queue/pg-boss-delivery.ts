import { randomBytes } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { StoreSchema } from '../../store/index.js';
import type { JobKind } from '../model.js';

/**
 * The pg-boss side of the pg-boss queue: one pg-boss queue per job kind (`larder.<kind>`), one
 * pg-boss job per delivery attempt of a ledger job (no pg-boss retries: the ledger schedules them),
 * every call made inside the caller's store transaction so the ledger and pg-boss change together.
 */

/** pg-boss caps a job's expiry below 24 h; the ledger lease is what counts, this is a backstop. */
export const BOSS_EXPIRE_SECONDS = 23 * 60 * 60;

/** The pg-boss queue that carries jobs of `kind`. */
export const bossQueueName = (kind: JobKind | string): string => `larder.${kind}`;

/** What a pg-boss job carries: the ledger row it delivers. */
export interface BossJobData {
  readonly key: string;
  readonly id: number;
}

/** pg-boss's `db` option over a kysely transaction (its SQL uses `$n` parameters, as pg does). */
export function bossDb(trx: Kysely<StoreSchema>): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows as unknown[] };
    },
  };
}

/**
 * A pg-boss job id that sorts like the ledger id: pg-boss orders equal priorities by created_on,
 * then id, and jobs sent in one transaction share created_on; the random tail keeps ids unique
 * across attempts.
 */
export function bossJobId(ledgerId: number): string {
  const hex = ledgerId.toString(16).padStart(16, '0') + randomBytes(8).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The ledger row fields a delivery needs. */
export interface DeliveryRow {
  readonly id: number | string;
  readonly key: string;
  readonly kind: string;
  readonly priority: number | string;
}

export interface Delivery {
  /** Sends one delivery of `row`, claimable from `startAfter` (ISO; default at once). */
  send(trx: Kysely<StoreSchema>, row: DeliveryRow, startAfter?: string): Promise<void>;
  /** Ends the live deliveries of `key` (created, retry or active) as completed or failed. */
  end(
    trx: Kysely<StoreSchema>,
    row: Pick<DeliveryRow, 'key' | 'kind'>,
    outcome: 'complete' | 'fail',
    output: Readonly<Record<string, unknown>>,
  ): Promise<void>;
  /** Takes the next due delivery of these kinds (highest priority first), or undefined. */
  fetch(
    trx: Kysely<StoreSchema>,
    kinds: readonly JobKind[],
  ): Promise<{ readonly bossId: string; readonly queue: string; readonly data: BossJobData } | undefined>;
  /** Fails one fetched delivery the ledger no longer wants (its job is not pending). */
  discard(trx: Kysely<StoreSchema>, queue: string, bossId: string): Promise<void>;
  /** pg-boss's schema-qualified job table (for queries across queues). */
  readonly jobTable: string;
}

/** The delivery helpers of a started pg-boss in `schema` (a plain lower-case identifier). */
export function createDelivery(boss: PgBoss, schema: string): Delivery {
  const jobTable = `"${schema}".job`;
  const liveIds = async (trx: Kysely<StoreSchema>, queue: string, key: string): Promise<string[]> => {
    const { rows } = await bossDb(trx).executeSql(
      `select id from ${jobTable} where name = $1 and singleton_key = $2 and state < 'completed'`,
      [queue, key],
    );
    return (rows as { id: string }[]).map((r) => r.id);
  };
  return {
    jobTable,
    async send(trx, row, startAfter) {
      const id = Number(row.id);
      const data: BossJobData = { key: row.key, id };
      await boss.send(bossQueueName(row.kind), data, {
        db: bossDb(trx),
        id: bossJobId(id),
        singletonKey: row.key,
        priority: Number(row.priority),
        retryLimit: 0,
        expireInSeconds: BOSS_EXPIRE_SECONDS,
        ...(startAfter === undefined ? {} : { startAfter }),
      });
    },
    async end(trx, row, outcome, output) {
      const queue = bossQueueName(row.kind);
      const ids = await liveIds(trx, queue, row.key);
      if (ids.length === 0) return;
      const db = bossDb(trx);
      for (const id of ids) {
        if (outcome === 'fail') await boss.fail(queue, id, output, { db });
        else await boss.complete(queue, id, output, { db });
      }
      // A delivery not yet fetched cannot be completed: it is no longer wanted.
      if (outcome === 'complete') await boss.cancel(queue, ids, { db });
    },
    async discard(trx, queue, bossId) {
      await boss.fail(
        queue,
        bossId,
        { message: 'stale delivery: the job is not pending' },
        { db: bossDb(trx) },
      );
    },
    async fetch(trx, kinds) {
      const names = kinds.map(bossQueueName);
      // The due head of each asked queue, best first: pg-boss fetches from one queue at a time.
      const { rows } = await bossDb(trx).executeSql(
        `select name from (select distinct on (name) name, priority, created_on, id from ${jobTable}
           where name = any($1) and state < 'active' and start_after < now()
           order by name, priority desc, created_on, id) heads
         order by priority desc, created_on, id`,
        [names],
      );
      for (const { name } of rows as { name: string }[]) {
        const [job] = await boss.fetch<BossJobData>(name, { db: bossDb(trx), batchSize: 1 });
        if (job !== undefined) return { bossId: job.id, queue: name, data: job.data };
      }
      return undefined;
    },
  };
}
