import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { LarderError } from '../../core/index.js';
import {
  createBuildJob,
  createComposeJob,
  createPgBossQueue,
  createRescanJob,
  createUpdateCheckJob,
  type JobBodies,
  type JobKind,
  loadWorkspace,
  runJobs,
} from '../../factory/index.js';
import { createRemotePublisher } from '../../server/index.js';
import { openStore, redactStoreUrl } from '../../store/index.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { globalsOf } from '../program.js';

export interface WorkerOptions {
  readonly database?: string;
  readonly server?: string;
  readonly tokenEnv?: string;
  readonly kinds?: string;
  readonly concurrency?: string;
  readonly workspace?: string;
  readonly lease?: string;
}

/** The job bodies a worker runs, per kind (the server's reconciler plans; workers only run). */
function workerBodies(): Partial<JobBodies> {
  return {
    build: createBuildJob({ tool: `larder (${PACKAGE_VERSION})` }),
    compose: createComposeJob({ toolVersion: PACKAGE_VERSION }),
    rescan: createRescanJob(),
    'update-check': createUpdateCheckJob(),
  };
}

/** Kinds the issue sends to other machines: a worker takes these (those it has bodies for) by default. */
const DEFAULT_KINDS: readonly JobKind[] = ['build', 'compose', 'rescan'];

function usage(message: string): LarderError {
  return new LarderError('USAGE', `larder worker: ${message}`);
}

/** A whole number ≥ 1 from `--<flag>`. */
function positive(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[1-9]\d{0,6}$/.test(text))
    throw usage(`--${flag} ${JSON.stringify(text)}: expected a whole number ≥ 1`);
  return Number(text);
}

/** The options checked: what the worker connects to and what it takes. */
function checked(opts: WorkerOptions, bodies: Partial<JobBodies>) {
  const database = opts.database ?? '';
  if (!/^postgres(ql)?:\/\//.test(database))
    throw usage(
      `--database must be the PostgreSQL URL of the server's store (postgres://...), not ${JSON.stringify(redactStoreUrl(database))}`,
    );
  let server: URL;
  try {
    server = new URL(opts.server ?? '');
  } catch {
    throw usage(
      `--server must be the server's URL (http://host:port), not ${JSON.stringify(opts.server ?? '')}`,
    );
  }
  if (server.protocol !== 'http:' && server.protocol !== 'https:')
    throw usage(`--server ${server.href}: expected http:// or https://`);
  const tokenEnv = opts.tokenEnv ?? 'LARDER_TOKEN';
  const token = process.env[tokenEnv] ?? '';
  if (token === '')
    throw usage(`no API token: set ${tokenEnv} to a token with the write scope (larder token create)`);
  // By default the kinds the issue sends to other machines that this worker has bodies for.
  const asked =
    opts.kinds === undefined ? DEFAULT_KINDS.filter((k) => bodies[k] !== undefined) : opts.kinds.split(',');
  const kinds = [...new Set(asked.map((k) => k.trim()))];
  if (kinds.length === 0 || kinds.includes('')) throw usage('--kinds lists no kind');
  for (const kind of kinds)
    if (!Object.hasOwn(bodies, kind))
      throw usage(
        `--kinds: this worker cannot run ${JSON.stringify(kind)} jobs (it runs ${Object.keys(bodies).join(', ')})`,
      );
  return {
    database,
    serverUrl: server.href.replace(/\/+$/, ''),
    token,
    kinds: kinds as JobKind[],
    concurrency: positive('concurrency', opts.concurrency, 1),
    leaseMs: positive('lease', opts.lease, 60) * 1000,
    workspace: resolve(opts.workspace ?? '.'),
  };
}

/**
 * `larder worker --database URL --server URL`: takes jobs of `--kinds` from the PostgreSQL store's
 * pg-boss queue and runs them with the real job bodies in the workspace checkout `--workspace`
 * (reloaded for each job), uploading built packages to the server (the repository's single
 * writer). SIGTERM or SIGINT: stops claiming and finishes the running jobs, then exits 0; a second
 * signal abandons them to their lease. A SIGKILLed worker's jobs are taken again once their lease
 * (`--lease`, seconds) runs out.
 */
export async function workerCommand(opts: WorkerOptions, cmd: Command): Promise<void> {
  const globals = globalsOf(cmd);
  const bodies = workerBodies();
  const options = checked(opts, bodies);
  // A broken larder.yaml stops the worker here; a broken recipe only fails its build.
  await loadWorkspace(options.workspace);
  const worker = `worker-${hostname()}-${process.pid}`;
  const say = (line: string) => {
    if (!globals.quiet) process.stderr.write(`larder worker: ${line}\n`);
  };
  const store = await openStore(options.database, { mustExist: true });
  let queue: Awaited<ReturnType<typeof createPgBossQueue>>;
  try {
    queue = await createPgBossQueue(store, {
      connectionString: options.database,
      onError: (err) => say(`pg-boss: ${err.message}`),
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const publisher = createRemotePublisher({ serverUrl: options.serverUrl, token: options.token });
  const stopped = new Promise<'finish' | 'abandon'>((done) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals === 1) {
        say(`${signal}: finishing ${runner.running()} running job(s); a second signal abandons them`);
        done('finish');
      } else {
        say(`${signal}: abandoning the running jobs to their lease`);
        void runner.close({ abandon: true });
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  const runner = runJobs({
    queue,
    bodies,
    kinds: options.kinds,
    concurrency: options.concurrency,
    leaseMs: options.leaseMs,
    worker,
    store,
    contextFor: async (_job, { signal, log }) => ({
      workspace: await loadWorkspace(options.workspace),
      store,
      publisher,
      signal,
      log,
      stateDir: globals.stateDir,
      now: () => new Date().toISOString(),
      worker,
    }),
    onJobEnd: (job, outcome) =>
      say(`${job.key}: ${outcome.status}${outcome.error === undefined ? '' : ` (${outcome.error})`}`),
    onError: (err) => say(`queue: ${err instanceof Error ? err.message : String(err)}`),
  });
  say(
    `${worker} takes ${options.kinds.join(', ')} jobs (${options.concurrency} at a time) from ${store.location}; packages go to ${options.serverUrl}`,
  );
  await stopped;
  await runner.close();
  await queue.close();
  await store.close();
  say('stopped');
}
