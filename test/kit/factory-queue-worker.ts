// A queue worker process for the crash tests (factory-queue-crash, factory-pg-boss-crash), started
// by startQueueWorker (test/kit/factory-queue-crash.ts):
//   node --import tsx test/kit/factory-queue-worker.ts <store|pg-boss> <store path or URL> <out-dir> <worker> <lease-ms> [<body-ms>]
// `store` claims through createStoreQueue, `pg-boss` through createPgBossQueue (a PostgreSQL URL).
// Claims build jobs until none is pending or running. A job body announces itself in
// <out>/running-<worker>, sleeps payload.ms (or <body-ms>: a worker that is to be killed mid-job),
// then creates <out>/done/<key> with O_EXCL: a second completion of a body would find the file
// and the worker exits 3.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPgBossQueue, createStoreQueue } from '../../src/factory/queue/index.js';
import { openStore } from '../../src/store/index.js';

const [kind, path, out, worker, leaseText, bodyMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string?,
];
if (kind !== 'store' && kind !== 'pg-boss') {
  process.stderr.write(`factory-queue-worker: the queue is store or pg-boss, not ${kind}\n`);
  process.exit(2);
}
const store = await openStore(path, { mustExist: true });
const pgBoss =
  kind === 'pg-boss'
    ? await createPgBossQueue(store, { connectionString: path, baseDelayMs: 50 })
    : undefined;
const queue = pgBoss ?? createStoreQueue(store, { baseDelayMs: 50 });
for (;;) {
  const job = await queue.claim(worker, ['build'], Number(leaseText));
  if (job === undefined) {
    const stats = await queue.stats();
    if (stats.pending === 0 && stats.running === 0) break;
    await sleep(50);
    continue;
  }
  writeFileSync(join(out, `running-${worker}`), `${job.key} ${job.attempts}\n`);
  await sleep(Number(bodyMs ?? job.payload.ms));
  try {
    writeFileSync(join(out, 'done', encodeURIComponent(job.key)), `${worker} ${job.attempts}\n`, {
      flag: 'wx',
    });
  } catch (err) {
    process.stderr.write(`${worker}: ${job.key} completed twice: ${String(err)}\n`);
    process.exit(3);
  }
  await queue.complete(job.id, worker, { worker });
}
await pgBoss?.close();
await store.close();
