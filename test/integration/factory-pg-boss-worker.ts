// A pg-boss queue worker process for factory-pg-boss-crash.test.ts:
//   node --import tsx test/integration/factory-pg-boss-worker.ts <url> <out-dir> <worker> <lease-ms> [<body-ms>]
// Claims build jobs until none is pending or running. A body announces itself in
// <out>/running-<worker>, sleeps payload.ms (or <body-ms>: a worker that is to be killed mid-job),
// then creates <out>/done/<key> with O_EXCL: a second run of a body to its end exits 3.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPgBossQueue } from '../../src/factory/queue/index.js';
import { openStore } from '../../src/store/index.js';

const [url, out, worker, leaseText, bodyMs] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
const store = await openStore(url, { mustExist: true });
const queue = await createPgBossQueue(store, { connectionString: url, baseDelayMs: 50 });
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
await queue.close();
await store.close();
