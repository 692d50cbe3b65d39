import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import { LarderError } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import { JOB_KINDS } from './job-rows.js';
import { BOSS_EXPIRE_SECONDS, bossQueueName } from './pg-boss-delivery.js';

/**
 * Starts pg-boss in `schema` of the store's database (migrating it, creating the per-kind queues)
 * and checks that its tables are in the store's database: the queue's transactions span both.
 * @throws LarderError USAGE when they are not, STORE_UNAVAILABLE when pg-boss cannot start.
 */
export async function startBoss(
  store: Store,
  options: {
    readonly connectionString: string;
    readonly schema: string;
    readonly supervise: boolean;
    readonly onError?: (error: Error) => void;
  },
): Promise<PgBoss> {
  const { schema } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    application_name: 'larder',
    schedule: false,
    supervise: options.supervise,
    migrate: true,
  });
  boss.on('error', (err: Error) => options.onError?.(err));
  try {
    await boss.start();
    for (const kind of JOB_KINDS)
      await boss.createQueue(bossQueueName(kind), {
        name: bossQueueName(kind),
        policy: 'short',
        retryLimit: 0,
        expireInSeconds: BOSS_EXPIRE_SECONDS,
      });
    const { rows } = await sql<{ table: string | null }>`
      select to_regclass(${`"${schema}".job`})::text as table`.execute(store.db);
    if (rows[0]?.table == null)
      throw new LarderError(
        'USAGE',
        `pg-boss's tables (schema ${schema}) are not in the store's database ${store.location}: give the store's URL`,
      );
    return boss;
  } catch (err) {
    await boss.stop({ graceful: false }).catch(() => {});
    if (err instanceof LarderError) throw err;
    throw new LarderError(
      'STORE_UNAVAILABLE',
      `pg-boss could not start on ${store.location}: ${String(err)}`,
      {
        cause: err,
      },
    );
  }
}
