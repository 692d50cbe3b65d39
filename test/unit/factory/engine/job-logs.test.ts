import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobLogWriter } from '../../../../src/factory/engine/job-log-writer.js';
import { appendJobLog, readJobLog } from '../../../../src/factory/state/index.js';
import { openStore, type Store } from '../../../../src/store/index.js';

describe('job logs', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(':memory:');
  });
  afterEach(() => store.close());

  it('appends in batches whose seq continues without gaps, per key', async () => {
    expect(await appendJobLog(store, 'build:a', [])).toBe(0);
    expect(
      await appendJobLog(store, 'build:a', [
        { at: 't1', line: 'one' },
        { at: 't1', line: 'two' },
      ]),
    ).toBe(2);
    expect(await appendJobLog(store, 'build:b', [{ at: 't2', line: 'other' }])).toBe(1);
    const many = Array.from({ length: 600 }, (_, i) => ({ at: 't3', line: `l${i}` }));
    expect(await appendJobLog(store, 'build:a', many)).toBe(602);
    const all = await readJobLog(store, 'build:a', 0);
    expect(all.map((l) => l.seq)).toEqual(Array.from({ length: 602 }, (_, i) => i + 1));
    expect(all[0]).toEqual({ seq: 1, at: 't1', line: 'one' });
    expect(all.at(-1)).toEqual({ seq: 602, at: 't3', line: 'l599' });
    expect(await readJobLog(store, 'build:a', 600)).toEqual([
      { seq: 601, at: 't3', line: 'l598' },
      { seq: 602, at: 't3', line: 'l599' },
    ]);
    expect(await readJobLog(store, 'build:b', 0)).toEqual([{ seq: 1, at: 't2', line: 'other' }]);
    expect(await readJobLog(store, 'build:none', 0)).toEqual([]);
  });

  it('the writer flushes after flushMs, at maxLines, and on close, in order', async () => {
    const writer = createJobLogWriter(store, 'k', { now: () => 'T', flushMs: 50, maxLines: 3 });
    writer.log('a');
    expect(await readJobLog(store, 'k', 0)).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect((await readJobLog(store, 'k', 0)).map((l) => l.line)).toEqual(['a']);
    writer.log('b\nc\n');
    writer.log('d');
    await writer.flush();
    expect((await readJobLog(store, 'k', 0)).map((l) => l.line)).toEqual(['a', 'b', 'c', 'd']);
    writer.log('e');
    await writer.close();
    writer.log('ignored');
    await writer.flush();
    const lines = await readJobLog(store, 'k', 0);
    expect(lines.map((l) => `${l.seq}:${l.line}`)).toEqual(['1:a', '2:b', '3:c', '4:d', '5:e']);
  });

  it('a batch that cannot be stored is reported, and logging goes on', async () => {
    const errors: unknown[] = [];
    const writer = createJobLogWriter(store, 'k', { onError: (e) => errors.push(e) });
    await store.close();
    writer.log('lost');
    await writer.flush();
    expect(errors).toHaveLength(1);
    store = await openStore(':memory:');
  });
});
