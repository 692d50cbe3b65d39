// The pg-boss queue's pure helpers: delivery ids that sort like ledger ids, queue names, the
// pg-boss `db` adapter over a kysely transaction.
import { CompiledQuery, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { bossDb, bossJobId, bossQueueName } from '../../../../src/factory/queue/pg-boss-delivery.js';
import type { StoreSchema } from '../../../../src/store/index.js';

describe('pg-boss delivery helpers', () => {
  it('delivery ids are UUIDs that sort by ledger id, unique per attempt', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const ids = [1, 2, 15, 16, 255, 4096, 2 ** 40, Number.MAX_SAFE_INTEGER].map(bossJobId);
    for (const id of ids) expect(id).toMatch(uuid);
    expect([...ids].sort()).toEqual(ids);
    expect(bossJobId(7)).not.toBe(bossJobId(7));
    expect(bossJobId(7).slice(0, 18)).toBe('00000000-0000-0007');
  });

  it('names one pg-boss queue per kind', () => {
    expect(['build', 'compose', 'rescan', 'update-check'].map(bossQueueName)).toEqual([
      'larder.build',
      'larder.compose',
      'larder.rescan',
      'larder.update-check',
    ]);
  });

  it('runs pg-boss SQL with its $n parameters on the transaction', async () => {
    const seen: CompiledQuery[] = [];
    const trx = {
      executeQuery: async (query: CompiledQuery) => {
        seen.push(query);
        return { rows: [{ id: 'x' }] };
      },
    } as unknown as Kysely<StoreSchema>;
    expect(await bossDb(trx).executeSql('select $1::int as n', [5])).toEqual({ rows: [{ id: 'x' }] });
    expect(await bossDb(trx).executeSql('select 1', undefined as unknown as unknown[])).toEqual({
      rows: [{ id: 'x' }],
    });
    expect(seen.map((q) => [q.sql, q.parameters])).toEqual([
      ['select $1::int as n', [5]],
      ['select 1', []],
    ]);
    expect(seen[0]).toEqual(CompiledQuery.raw('select $1::int as n', [5]));
  });
});
