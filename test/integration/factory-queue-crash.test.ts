// Two worker processes claim from one store (an SQLite file, then a PostgreSQL database); one is SIGKILLed in the middle of a job. The
// job is claimed again once its lease runs out, and every job ends succeeded exactly once (each
// body's side effect is a file created with O_EXCL: a doubled body would fail to create it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createStoreQueue } from '../../src/factory/queue/index.js';
import { openStore } from '../../src/store/index.js';
import { cleanCrash, crashDir, startQueueWorker, waitForFile } from '../kit/factory-queue-crash.js';
import { startPostgres } from '../kit/postgres.js';

const LEASE_MS = 1500;
let dir: string;
beforeEach(() => {
  dir = crashDir('larder-queue-crash-');
});
afterEach(() => cleanCrash(dir));

const start = (location: string, worker: string, bodyMs?: number) =>
  startQueueWorker('store', location, dir, worker, LEASE_MS, bodyMs);

async function enqueueAll(url: string, keys: readonly string[]): Promise<void> {
  const setup = await openStore(url);
  await createStoreQueue(setup).enqueue(keys.map((key) => ({ key, kind: 'build', payload: { ms: 250 } })));
  await setup.close();
}

it('a worker killed mid-job loses nothing and doubles nothing (SQLite)', async () => {
  const path = join(dir, 'factory.db');
  await killMidJob(path);
});

it('a worker killed mid-job loses nothing and doubles nothing (PostgreSQL)', async () => {
  const cluster = await startPostgres();
  try {
    await killMidJob(await cluster.createDatabase());
  } finally {
    await cluster.stop();
  }
});

/** Two workers on the store at `path`; wA is killed in its first job. */
async function killMidJob(path: string): Promise<void> {
  const keys = Array.from({ length: 12 }, (_, i) => `build:pkg${i}@1.0-r0/x86_64`);
  await enqueueAll(path, keys);

  const a = start(path, 'wA', 60_000);
  const b = start(path, 'wB');
  const running = join(dir, 'running-wA');
  expect(await waitForFile(running), `wA never started a job: ${a.stderr()}`).toBe(true);
  a.child.kill('SIGKILL');
  expect(await a.exit).toBe('SIGKILL');
  const killedKey = readFileSync(running, 'utf8').split(' ')[0] as string;
  const killedAt = Date.now();
  // wA held the job when it died: wB takes it over once the lease has run out, then exits.
  expect(await b.exit, b.stderr()).toBe(0);
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS - 300);

  const done = readdirSync(join(dir, 'done')).map(decodeURIComponent).sort();
  expect(done).toEqual([...keys].sort());
  const store = await openStore(path, { mustExist: true });
  try {
    const queue = createStoreQueue(store);
    expect(await queue.stats()).toEqual({ pending: 0, running: 0, succeeded: 12, failed: 0 });
    const killed = await queue.get(killedKey);
    expect(killed).toMatchObject({
      status: 'succeeded',
      worker: 'wB',
      attempts: 2,
      result: { worker: 'wB' },
    });
    expect(readFileSync(join(dir, 'done', encodeURIComponent(killedKey)), 'utf8')).toBe('wB 2\n');
    for (const key of keys.filter((k) => k !== killedKey))
      expect((await queue.get(key))?.attempts, key).toBe(1);
  } finally {
    await store.close();
  }
}
