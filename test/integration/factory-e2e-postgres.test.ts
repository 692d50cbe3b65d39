import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import {
  type Deployment,
  expectInitialPublication,
  expectNothingDuplicated,
  expectRemediation,
} from '../kit/factory-scenario.js';
import {
  type FactoryProcess,
  freePort,
  getJson,
  logFileIn,
  startFactoryProcess,
  waitFor,
} from '../kit/factory-server.js';
import { type FactoryWorkspace, prepareFactoryWorkspace } from '../kit/factory-workspace.js';
import { tempDir } from '../kit/paths.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// The factory end to end at scale (issue 8 §5): state and the pg-boss queue on PostgreSQL,
// `larder serve --concurrency 0` running no jobs itself, two `larder worker` processes taking
// every job and uploading packages to the server (the index's single writer). The server is
// killed with SIGKILL while a worker runs a build, and restarted on the same address: the final
// state is the same as the embedded run's (test/kit/factory-scenario.ts), nothing done twice.

let dir: string;
let pg: PostgresCluster;
let registry: LocalRegistry;
let ws: FactoryWorkspace;
let database: string;
let listen: string;
let serve: FactoryProcess;
const workers: FactoryProcess[] = [];
let deployment: Deployment;
let restarts = 0;

function startServe(): Promise<FactoryProcess> {
  return startFactoryProcess(
    ['serve', '--workspace', ws.dir, '--database', database, '--listen', listen, '--concurrency', '0'],
    { logFile: logFileIn(dir, `serve-${restarts}`), waitForListen: true },
  );
}

function tail(p: FactoryProcess, name: string): string {
  return `--- ${name}\n${p.output().split('\n').slice(-40).join('\n')}`;
}

describe.runIf(process.arch === 'x64')(
  'the factory end to end (PostgreSQL, two workers, server killed)',
  () => {
    beforeAll(async () => {
      dir = await tempDir('larder-factory-e2e-pg-');
      [pg, registry] = await Promise.all([startPostgres(), startLocalRegistry()]);
      database = await pg.createDatabase();
      ws = await prepareFactoryWorkspace(join(dir, 'ws'), { registry: registry.host });
      listen = `127.0.0.1:${await freePort()}`;
      serve = await startServe();
      const created = larder(['token', 'create', '--database', database, '--name', 'workers']);
      if (created.status !== 0) throw new Error(`token create: ${created.stderr}`);
      const token = created.stdout.trim();
      for (const n of [1, 2])
        workers.push(
          await startFactoryProcess(
            ['worker', '--database', database, '--server', serve.url, '--workspace', ws.dir, '--lease', '20'],
            { logFile: logFileIn(dir, `worker-${n}`), env: { LARDER_TOKEN: token }, waitForListen: false },
          ),
        );
      deployment = {
        ws,
        url: () => serve.url,
        output: () => [tail(serve, 'serve'), ...workers.map((w, i) => tail(w, `worker ${i + 1}`))].join('\n'),
        token,
      };
    }, 300_000);
    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await serve?.stop();
      await registry?.stop();
      await pg?.stop();
    });

    it('survives kill -9 of the server during a running build, then publishes both images signed', async () => {
      const running = await waitFor(
        'a build job running on a worker',
        async () => {
          const body = await getJson<{ jobs: { key: string }[] }>(
            serve.url,
            '/api/jobs?status=running&kind=build',
          );
          return body.jobs[0]?.key;
        },
        { timeoutMs: 120_000, everyMs: 200, describe: deployment.output },
      );
      await serve.kill9();
      restarts += 1;
      serve = await startServe();
      await expectInitialPublication(deployment);
      const build = await getJson<{ status: string; attempts: number }>(
        serve.url,
        `/api/jobs/${encodeURIComponent(running)}`,
      );
      expect(build.status).toBe('succeeded');
    }, 600_000);

    it('remediates a CVE in libgreet with the workers, as the embedded factory does', async () => {
      const windows = await expectRemediation(deployment);
      expect(Object.keys(windows).sort()).toEqual(['greet', 'greet-dev']);
      await expectNothingDuplicated(deployment);
      // Both workers took jobs.
      for (const w of workers) expect(w.output()).not.toBe('');
    }, 600_000);
  },
);
