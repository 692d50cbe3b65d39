// The factory's queue and state tests on PostgreSQL (a private cluster, test/kit/postgres.ts):
// the same suites as test/unit/factory/{queue,state} on SQLite, each test on a fresh database.
import { afterAll, beforeAll, describe } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';
import { queueSuite } from '../unit/factory/queue/queue-suite.js';
import { stateSuite } from '../unit/factory/state/state-suite.js';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

const open = async () => openStore(await cluster.createDatabase());

describe('the store queue on PostgreSQL', () => queueSuite(open));
describe('factory state on PostgreSQL', () => stateSuite(open));
