import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LarderError } from '../../core/index.js';
import {
  createFactory,
  createPgBossQueue,
  createStoreQueue,
  loadFactoryConfig,
  type Queue,
} from '../../factory/index.js';
import { createServerApp, parseListen, startServer } from '../../server/index.js';
import { openStore, redactStoreUrl, type Store } from '../../store/index.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { globalsOf } from '../program.js';
import { DEFAULT_STATE_FILE } from './token.js';

export interface ServeOptions {
  readonly workspace: string;
  readonly database?: string;
  readonly listen?: string;
  readonly concurrency?: string;
}

/**
 * The queue jobs go through: on PostgreSQL pg-boss delivers them (to this process and to
 * `larder worker`s); on SQLite the store's own (factory_jobs).
 */
async function queueOf(
  store: Store,
  url: string,
  onError: (err: Error) => void,
): Promise<{ readonly queue: Queue; readonly close: () => Promise<void> }> {
  if (store.dialect !== 'postgres') return { queue: createStoreQueue(store), close: async () => {} };
  const queue = await createPgBossQueue(store, { connectionString: url, onError });
  return { queue, close: () => queue.close() };
}

function concurrencyOf(text: string | undefined): number {
  if (text === undefined) return 2;
  if (!/^(0|[1-9]\d{0,3})$/.test(text))
    throw new LarderError(
      'USAGE',
      `larder serve: --concurrency ${JSON.stringify(text)}: expected a whole number ≥ 0`,
    );
  return Number(text);
}

/**
 * `larder serve --workspace DIR [--database URL] [--listen HOST:PORT] [--concurrency N]`: runs
 * the embedded factory over the workspace (reconciler, in-process jobs, triggers) and serves its
 * API, repository, metrics and dashboard. The store defaults to `DIR/.larder/state.sqlite`
 * (a PostgreSQL store gets the pg-boss queue, which `larder worker`s also take jobs from);
 * `--listen` to 127.0.0.1:8080; `--concurrency 0` runs no jobs here (workers do). Prints
 * `listening on http://HOST:PORT` on stderr; SIGINT/SIGTERM stop it cleanly (exit 0).
 */
export async function serveCommand(opts: ServeOptions, cmd: Command): Promise<void> {
  const globals = globalsOf(cmd);
  const root = resolve(opts.workspace);
  const listen = parseListen(opts.listen ?? '127.0.0.1:8080');
  const concurrency = concurrencyOf(opts.concurrency);
  // larder.yaml first: a mistyped --workspace must not get a store made in it.
  await loadFactoryConfig(root);
  let database = opts.database;
  if (database === undefined) {
    await mkdir(join(root, '.larder'), { recursive: true });
    database = join(root, DEFAULT_STATE_FILE);
  }
  const say = (line: string): void => {
    if (!globals.quiet) process.stderr.write(`larder serve: ${line}\n`);
  };
  const store = await openStore(database);
  const stops: (() => Promise<void>)[] = [() => store.close()];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s();
  };
  const onError = (err: unknown): void => {
    process.stderr.write(`larder serve: ${err instanceof Error ? err.message : String(err)}\n`);
  };
  try {
    const queue = await queueOf(store, database, onError);
    stops.push(queue.close);
    const factory = await createFactory({
      workspaceDir: root,
      store,
      queue: queue.queue,
      stateDir: globals.stateDir,
      concurrency: Math.max(concurrency, 1),
      runJobs: concurrency > 0,
      onError,
    });
    stops.push(() => factory.close());
    const server = await startServer(createServerApp(factory, { version: PACKAGE_VERSION }), listen);
    stops.push(() => server.close());
    say(`workspace ${root}, store ${redactStoreUrl(store.location)}`);
    process.stderr.write(`listening on ${server.url}\n`);
  } catch (err) {
    await stop();
    throw err;
  }
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  say(`${signal}: stopping`);
  await stop();
}
