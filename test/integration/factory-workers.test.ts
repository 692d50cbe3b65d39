// `larder worker` processes (the built CLI) on a private PostgreSQL: they take build jobs from the
// pg-boss queue, build the example workspace's recipes in the sandbox, upload the packages to the
// server (here a stand-in answering PUT /api/repository/<arch>/packages) and record the builds.
// SIGTERM stops a worker cleanly; a SIGKILLed worker's job is built again by another once the
// lease runs out, and uploaded once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildKey,
  createPgBossQueue,
  createStoreQueue,
  type JobSpec,
  loadWorkspace,
} from '../../src/factory/index.js';
import { openStore } from '../../src/store/index.js';
import { larder } from '../kit/cli.js';
import { prepareFactoryWorkspace } from '../kit/factory-workspace.js';
import { CLI, ROOT } from '../kit/paths.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';

const TOKEN = 'worker-test-token';

/** A build that takes a while: a worker killed in the middle of it has not uploaded yet. */
const SLOW_RECIPE = `package:
  name: slow
  version: 1.0.0
  epoch: 0
  description: a build that takes a few seconds
  copyright:
    - license: MIT
environment:
  contents:
    packages: [host-toolchain]
pipeline:
  - runs: |
      sleep 4
      mkdir -p \${{targets.destdir}}/etc
      echo slow > \${{targets.destdir}}/etc/slow
`;

describe('larder worker: usage', () => {
  it('refuses a missing or SQLite database, a bad server, no token and unknown kinds (exit 2)', () => {
    const pg = 'postgres://u:secret@127.0.0.1:1/db';
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--server', 'http://127.0.0.1:1'], {}, /required option '--database <url>'/],
      [
        ['--database', 'factory.db', '--server', 'http://x'],
        {},
        /--database must be the PostgreSQL URL .* not "factory.db"/,
      ],
      [['--database', pg, '--server', 'not a url'], {}, /--server must be the server's URL/],
      [['--database', pg, '--server', 'ftp://x'], {}, /--server ftp:\/\/x\/: expected http/],
      [['--database', pg, '--server', 'http://x'], { LARDER_TOKEN: '' }, /no API token: set LARDER_TOKEN/],
      [['--database', pg, '--server', 'http://x', '--token-env', 'MY_TOKEN'], {}, /set MY_TOKEN to a token/],
      [['--database', pg, '--server', 'http://x', '--kinds', 'build,deploy'], {}, /cannot run "deploy" jobs/],
      [
        ['--database', pg, '--server', 'http://x', '--kinds', 'constructor'],
        {},
        /cannot run "constructor" jobs/,
      ],
      [['--database', pg, '--server', 'http://x', '--kinds', ','], {}, /--kinds lists no kind/],
      [
        ['--database', pg, '--server', 'http://x', '--concurrency', '0'],
        {},
        /--concurrency "0": expected a whole/,
      ],
      [['--database', pg, '--server', 'http://x', '--lease', '1.5'], {}, /--lease "1.5": expected a whole/],
    ];
    for (const [args, env, message] of cases) {
      const r = larder(['worker', ...args], { env: { LARDER_TOKEN: TOKEN, MY_TOKEN: '', ...env } });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toContain('secret');
    }
  });
});

/** The server's upload endpoint as workers see it: checks the token, records what came. */
interface Upload {
  readonly arch: string;
  readonly key: string;
  readonly recipe: string;
  readonly files: readonly string[];
}

function startUploadServer(): Promise<{ server: Server; url: string; uploads: Upload[] }> {
  const uploads: Upload[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/api\/repository\/([^/]+)\/packages$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'PUT' || match === null)
      return send(404, { error: { code: 'NOT_FOUND', message: req.url } });
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return send(401, { error: { code: 'UNAUTHORIZED', message: 'bad token' } });
    const form = await new Request('http://x/', {
      method: 'PUT',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: Buffer.concat(chunks),
    }).formData();
    const files = form.getAll('package').map((f) => (f as File).name);
    const arch = decodeURIComponent(match[1] as string);
    uploads.push({ arch, key: String(form.get('key')), recipe: String(form.get('recipe')), files });
    send(200, {
      published: files.map((name) => ({
        name: name.replace(/-[^-]+-r\d+\.apk$/, ''),
        version: /-([^-]+-r\d+)\.apk$/.exec(name)?.[1] ?? '',
        arch,
        origin: String(form.get('recipe')),
        checksum: 'Q1test',
        size: 1,
      })),
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}`, uploads });
    }),
  );
}

describe('larder worker on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let dir: string;
  let workspace: string;
  let upload: Awaited<ReturnType<typeof startUploadServer>>;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    cluster = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'larder-workers-'));
    workspace = (await prepareFactoryWorkspace(join(dir, 'ws'), { registry: '127.0.0.1:1' })).dir;
    writeFileSync(join(workspace, 'recipes', 'slow.yaml'), SLOW_RECIPE);
    upload = await startUploadServer();
  }, 300_000);
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    upload?.server.closeAllConnections();
    upload?.server.close();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  function startWorker(
    url: string,
    name: string,
    to: { server?: string; workspace?: string; env?: NodeJS.ProcessEnv } = {},
  ) {
    const args = ['worker', '--database', url, '--server', to.server ?? upload.url];
    args.push(
      '--workspace',
      to.workspace ?? workspace,
      '--lease',
      '3',
      '--state-dir',
      join(dir, `state-${name}`),
    );
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, LARDER_TOKEN: TOKEN, LARDER_QUIET: '', ...to.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exit = new Promise<number | string>((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
    );
    return { child, exit, stderr: () => stderr };
  }

  /** Build jobs for recipes of the workspace, as the planner makes them. */
  async function buildJobs(names: readonly string[]): Promise<JobSpec[]> {
    const ws = await loadWorkspace(workspace);
    return names.map((name) => {
      const recipe = ws.recipes.find((r) => r.name === name);
      if (recipe === undefined) throw new Error(`no recipe ${name}`);
      return {
        key: buildKey(recipe, 'x86_64'),
        kind: 'build',
        payload: {
          recipe: name,
          file: recipe.file,
          version: recipe.version,
          epoch: recipe.epoch,
          arch: 'x86_64',
          recipeHash: recipe.hash,
        },
      };
    });
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 180_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(100);
    }
  }

  it('builds queued recipes, uploads their packages, records the builds and stops on SIGTERM', async () => {
    const url = await cluster.createDatabase();
    const store = await openStore(url);
    const queue = await createPgBossQueue(store, { connectionString: url, supervise: false });
    try {
      const jobs = await buildJobs(['base-layout', 'host-libc']);
      await queue.enqueue(jobs);
      const worker = startWorker(url, 'one');
      await until('both builds', async () => {
        const stats = await queue.stats();
        return stats.succeeded + stats.failed === 2 ? stats : undefined;
      });
      for (const job of jobs)
        expect(await queue.get(job.key), worker.stderr()).toMatchObject({ status: 'succeeded', attempts: 1 });
      const uploaded = upload.uploads.filter((u) => jobs.some((j) => j.key === u.key));
      expect(uploaded.map((u) => u.recipe).sort()).toEqual(['base-layout', 'host-libc']);
      for (const u of uploaded) {
        expect(u.arch).toBe('x86_64');
        expect(u.files.length).toBeGreaterThan(0);
        for (const f of u.files) expect(f).toMatch(/^[a-z0-9.+_-]+-\d[^-]*-r0\.apk$/);
      }
      const builds = await store.db.selectFrom('factory_builds').selectAll().execute();
      expect(builds.map((b) => [b.recipe, b.status]).sort()).toEqual([
        ['base-layout', 'succeeded'],
        ['host-libc', 'succeeded'],
      ]);
      worker.child.kill('SIGTERM');
      expect(await worker.exit, worker.stderr()).toBe(0);
      expect(worker.stderr()).toMatch(
        /larder worker: worker-.* takes build, compose, rescan jobs \(1 at a time\) from postgres:\/\/larder:\*\*\*@/,
      );
      expect(worker.stderr()).toMatch(/SIGTERM: finishing 0 running job\(s\)/);
      expect(worker.stderr()).toMatch(/larder worker: stopped\n$/);
    } finally {
      await queue.close();
      await store.close();
    }
  });

  it('with larder serve on PostgreSQL: two workers build every planned recipe; the server publishes them', async () => {
    const url = await cluster.createDatabase();
    const own = join(dir, 'serve-ws');
    await prepareFactoryWorkspace(own, { registry: '127.0.0.1:1' });
    const serve = spawn(
      process.execPath,
      [CLI, 'serve', '--workspace', own, '--database', url, '--concurrency', '0', '--listen', '127.0.0.1:0'],
      { cwd: ROOT, env: { ...process.env, LARDER_QUIET: '1', LARDER_STATE_DIR: join(dir, 'state-serve') } },
    );
    children.push(serve);
    let serveErr = '';
    serve.stderr?.on('data', (d: Buffer) => {
      serveErr += d.toString();
    });
    const serverUrl = await until(
      'the server listening',
      async () => /listening on (\S+)/.exec(serveErr)?.[1],
      60_000,
    );
    const token = larder(['token', 'create', '--database', url, '--name', 'workers']);
    expect(token.status, token.stderr).toBe(0);
    const env = { LARDER_TOKEN: token.stdout.trim() };
    const workers = ['w1', 'w2'].map((name) =>
      startWorker(url, name, { server: serverUrl, workspace: own, env }),
    );
    const store = await openStore(url);
    try {
      const queue = createStoreQueue(store);
      const builds = await until('every build done', async () => {
        const jobs = await queue.list({ kind: 'build' });
        return jobs.length >= 4 && jobs.every((j) => j.status === 'succeeded') ? jobs : undefined;
      });
      expect(builds.map((j) => j.payload.recipe).sort()).toEqual([
        'base-layout',
        'greet',
        'host-libc',
        'libgreet',
      ]);
      expect(new Set(builds.map((j) => j.worker)).size, workers.map((w) => w.stderr()).join('\n')).toBe(2);
      const response = await fetch(`${serverUrl}/api/packages`, {
        headers: { authorization: `Bearer ${env.LARDER_TOKEN}` },
      });
      const published = ((await response.json()) as { packages: { name: string; buildKey: string }[] })
        .packages;
      for (const job of builds)
        expect(
          published.some((p) => p.buildKey === job.key),
          job.key,
        ).toBe(true);
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) expect(await w.exit, w.stderr()).toBe(0);
    } finally {
      serve.kill('SIGTERM');
      await store.close();
    }
  });

  it('SIGTERM in the middle of a build finishes it (uploaded, succeeded) before the worker exits 0', async () => {
    const url = await cluster.createDatabase();
    const store = await openStore(url);
    const queue = await createPgBossQueue(store, { connectionString: url, supervise: false });
    try {
      upload.uploads.length = 0;
      const jobs = await buildJobs(['slow']);
      await queue.enqueue(jobs);
      const key = jobs[0]?.key ?? '';
      const worker = startWorker(url, 'term');
      await until('the job running', async () =>
        (await queue.get(key))?.status === 'running' ? true : undefined,
      );
      worker.child.kill('SIGTERM');
      expect(await worker.exit, worker.stderr()).toBe(0);
      expect(worker.stderr()).toMatch(/SIGTERM: finishing 1 running job\(s\)/);
      expect(await queue.get(key)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(upload.uploads.filter((u) => u.key === key)).toHaveLength(1);
    } finally {
      await queue.close();
      await store.close();
    }
  });

  it('a SIGKILLed worker loses nothing: another builds its job after the lease, uploading it once', async () => {
    const url = await cluster.createDatabase();
    const store = await openStore(url);
    const queue = await createPgBossQueue(store, { connectionString: url, supervise: false });
    try {
      upload.uploads.length = 0;
      const [job] = await buildJobs(['slow']);
      if (job === undefined) throw new Error('no job');
      await queue.enqueue([job]);
      const a = startWorker(url, 'a');
      const running = await until('the job running', async () => {
        const record = await queue.get(job.key);
        return record?.status === 'running' ? record : undefined;
      });
      a.child.kill('SIGKILL');
      expect(await a.exit).toBe('SIGKILL');
      const before = upload.uploads.filter((u) => u.key === job.key).length;
      const b = startWorker(url, 'b');
      const done = await until('the job done', async () => {
        const record = await queue.get(job.key);
        return record?.status === 'succeeded' || record?.status === 'failed' ? record : undefined;
      });
      expect(done, b.stderr()).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(done.worker).not.toBe(running.worker);
      expect(Date.parse(done.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(running.leaseUntil ?? ''));
      expect(before).toBe(0);
      expect(upload.uploads.filter((u) => u.key === job.key)).toHaveLength(1);
      b.child.kill('SIGTERM');
      expect(await b.exit, b.stderr()).toBe(0);
    } finally {
      await queue.close();
      await store.close();
    }
  });
});
