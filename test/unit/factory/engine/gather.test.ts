import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPublishedRepository, readRecordedJobs } from '../../../../src/factory/engine/index.js';
import { createStoreQueue, type StoreQueue } from '../../../../src/factory/queue/index.js';
import { openStore, type Store } from '../../../../src/store/index.js';
import { fakeWorkspace } from '../../../kit/fake-factory-service.js';
import { tempDir } from '../../../kit/paths.js';

describe('the gatherer', () => {
  let store: Store;
  let queue: StoreQueue;
  let clock = Date.parse('2026-11-28T05:00:00.000Z');
  beforeEach(async () => {
    store = await openStore(':memory:');
    queue = createStoreQueue(store, { clock: () => clock });
  });
  afterEach(() => store.close());

  const finish = async (
    key: string,
    kind: 'update-check' | 'rescan' | 'compose',
    payload: Record<string, unknown>,
    ok = true,
  ) => {
    await queue.enqueue([{ key, kind, payload }]);
    const job = await queue.claim('w', [kind], 60_000);
    if (job === undefined) throw new Error('not claimable');
    clock += 1000;
    if (ok) await queue.complete(job.id, 'w', {});
    else await queue.fail(job.id, 'w', 'gate refused', { retryable: false });
  };

  it('reads the jobs with the latest update check per recipe, rescans per version and compose feed versions', async () => {
    await finish('update-check:zlib@2026-11-27T00:00:00.000Z', 'update-check', { recipe: 'zlib' });
    await finish('update-check:zlib@2026-11-28T00:00:00.000Z', 'update-check', { recipe: 'zlib' });
    await finish('update-check:curl@2026-11-28T00:00:00.000Z', 'update-check', { recipe: 'curl' }, false);
    await finish('rescan:web@abc#f1', 'rescan', { image: 'web', digest: 'sha256:abc', feedVersion: 'f1' });
    await finish('compose:web@l#c', 'compose', { image: 'web', feedVersion: 'f0' }, false);
    await queue.enqueue([
      { key: 'build:zlib@1-r0/x86_64#aa', kind: 'build', payload: {}, after: ['build:x'] },
    ]);
    const recorded = await readRecordedJobs(queue);
    expect(recorded.lastUpdateCheckAt).toEqual({ zlib: '2026-11-28T05:00:02.000Z' });
    expect([...recorded.rescannedAt]).toEqual([['web sha256:abc', '2026-11-28T05:00:04.000Z']]);
    const byKey = new Map(recorded.jobs.map((j) => [j.key, j]));
    expect(byKey.get('compose:web@l#c')).toMatchObject({ status: 'failed', feedVersion: 'f0', attempts: 1 });
    expect(byKey.get('build:zlib@1-r0/x86_64#aa')).toMatchObject({ status: 'pending', after: ['build:x'] });
    expect(byKey.get('rescan:web@abc#f1')?.feedVersion).toBeUndefined();
  });

  it('reads an arch without an index as empty, and names the file of a damaged index', async () => {
    const root = await tempDir();
    const ws = fakeWorkspace(root, {});
    const empty = await readPublishedRepository(ws, store);
    expect(empty.packages).toEqual({ x86_64: [] });
    expect(empty.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    await mkdir(join(root, 'repo', 'x86_64'), { recursive: true });
    // gzip's magic, then garbage: a truncated or damaged download.
    await writeFile(
      join(root, 'repo', 'x86_64', 'APKINDEX.tar.gz'),
      Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]),
    );
    await expect(readPublishedRepository(ws, store)).rejects.toThrow(/repo\/x86_64\/APKINDEX\.tar\.gz/);
  });
});
