// Two worker processes take build jobs through the pg-boss queue of one PostgreSQL database; one is
// SIGKILLed in the middle of a job. The job is delivered again once its lease runs out, and every
// job's side effect happens exactly once (a file created with O_EXCL: a doubled body would fail).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createPgBossQueue } from '../../src/factory/queue/index.js';
import { openStore } from '../../src/store/index.js';
import { cleanCrash, crashDir, startQueueWorker, waitForFile } from '../kit/factory-queue-crash.js';
import { startPostgres } from '../kit/postgres.js';

const LEASE_MS = 1500;
let dir: string;
beforeEach(() => {
  dir = crashDir('larder-pg-boss-crash-');
});
afterEach(() => cleanCrash(dir));

const start = (location: string, worker: string, bodyMs?: number) =>
  startQueueWorker('pg-boss', location, dir, worker, LEASE_MS, bodyMs);

it('a worker killed mid-job loses nothing and doubles nothing (pg-boss)', async () => {
  const cluster = await startPostgres();
  try {
    const url = await cluster.createDatabase();
    const keys = Array.from({ length: 12 }, (_, i) => `build:pkg${i}@1.0-r0/x86_64`);
    const setup = await openStore(url);
    const queue = await createPgBossQueue(setup, { connectionString: url, supervise: false });
    await queue.enqueue(keys.map((key) => ({ key, kind: 'build', payload: { ms: 250 } })));

    const a = start(url, 'wA', 60_000);
    const running = join(dir, 'running-wA');
    expect(await waitForFile(running), `wA never started a job: ${a.stderr()}`).toBe(true);
    const b = start(url, 'wB');
    await sleep(300);
    a.child.kill('SIGKILL');
    expect(await a.exit).toBe('SIGKILL');
    const killedKey = readFileSync(running, 'utf8').split(' ')[0] as string;
    const killedAt = Date.now();
    // wA held the job when it died: wB takes it over once the lease has run out, then exits.
    expect(await b.exit, b.stderr()).toBe(0);
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS - 600);

    expect(readdirSync(join(dir, 'done')).map(decodeURIComponent).sort()).toEqual([...keys].sort());
    expect(await queue.stats()).toEqual({ pending: 0, running: 0, succeeded: 12, failed: 0 });
    expect(await queue.get(killedKey)).toMatchObject({
      status: 'succeeded',
      worker: 'wB',
      attempts: 2,
      result: { worker: 'wB' },
    });
    expect(readFileSync(join(dir, 'done', encodeURIComponent(killedKey)), 'utf8')).toBe('wB 2\n');
    for (const key of keys.filter((k) => k !== killedKey))
      expect((await queue.get(key))?.attempts, key).toBe(1);
    // pg-boss agrees: one completed delivery per job, and the killed worker's delivery failed.
    const { rows } = await cluster.query(
      url,
      `select state, count(*)::int as n from pgboss.job group by state order by state`,
    );
    expect(rows).toEqual([
      { state: 'completed', n: 12 },
      { state: 'failed', n: 1 },
    ]);
    await queue.close();
    await setup.close();
  } finally {
    await cluster.stop();
  }
});
