// `larder serve --database postgres://…`: the store and the pg-boss queue on PostgreSQL, tokens
// from `larder token --database`, the reconciler's jobs visible through the API.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as S from '../../src/server/api/schemas.js';
import { larder } from '../kit/cli.js';
import { CLI } from '../kit/paths.js';
import { type PostgresCluster, startPostgres } from '../kit/postgres.js';

let cluster: PostgresCluster;
let dir: string;
let serve: ChildProcess | undefined;
let stderr = '';

beforeAll(async () => {
  cluster = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), 'larder-serve-pg-'));
}, 60_000);
afterAll(async () => {
  if (serve !== undefined && serve.exitCode === null) serve.kill('SIGKILL');
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('larder serve on PostgreSQL', () => {
  it('serves the factory whose jobs go through pg-boss, with tokens in the same store', async () => {
    const database = await cluster.createDatabase();
    const ws = join(dir, 'ws');
    expect(larder(['init', ws]).status).toBe(0);
    const child = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        '--workspace',
        ws,
        '--database',
        database,
        '--listen',
        '127.0.0.1:0',
        '--concurrency',
        '0',
        '--state-dir',
        join(dir, 'state'),
      ],
      { env: { ...process.env, LARDER_QUIET: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    serve = child;
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (text: string) => {
        stderr += text;
        const m = /listening on (http:\/\/\S+)/.exec(stderr);
        if (m !== null) resolve(m[1] as string);
      });
      child.once('exit', (code) => reject(new Error(`larder serve exited ${code}: ${stderr}`)));
    });
    const made = larder(['token', 'create', '--database', database, '--name', 'ci']);
    expect(made.status, made.stderr).toBe(0);
    const token = made.stdout.trim();
    // The reconciler plans the example's builds (never built); nothing runs them here.
    let jobs: { key: string; status: string }[] = [];
    for (let i = 0; i < 100 && jobs.length === 0; i++) {
      jobs = S.JobList.parse(await (await fetch(`${url}/api/jobs?kind=build`)).json()).jobs;
      if (jobs.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(jobs.length, stderr).toBeGreaterThan(0);
    expect(jobs.every((j) => j.status === 'pending')).toBe(true);
    const status = S.Status.parse(await (await fetch(`${url}/api/status`)).json());
    expect(status.queue.pending).toBeGreaterThanOrEqual(jobs.length);
    const woke = await fetch(`${url}/api/reconcile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(woke.status).toBe(202);
    const boss = await cluster.query(
      database,
      "select count(*)::int as n from information_schema.schemata where schema_name = 'pgboss'",
    );
    expect(boss.rows[0].n).toBe(1);
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
  }, 120_000);
});
