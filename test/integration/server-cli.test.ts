// `larder serve` on a workspace `larder init` made: the API, tokens from `larder token`, a
// worker-style upload through the real local publisher, and the repository verified over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher, fetchPackage, loadIndexes, loadKeyringSources } from '../../src/repo/index.js';
import * as S from '../../src/server/api/schemas.js';
import { createRemotePublisher } from '../../src/server/index.js';
import { larder } from '../kit/cli.js';
import { CLI } from '../kit/paths.js';

let dir: string;
let ws: string;
let serve: ChildProcess | undefined;
let url: string;
let token: string;
let stderr = '';

function startServe(): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--workspace',
      ws,
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
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr += text;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m !== null) resolve(m[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`larder serve exited ${code}: ${stderr}`)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'larder-serve-'));
  ws = join(dir, 'ws');
  const init = larder(['init', ws]);
  expect(init.status, init.stderr).toBe(0);
  const made = larder(['token', 'create', '--workspace', ws, '--name', 'ci']);
  expect(made.status, made.stderr).toBe(0);
  token = made.stdout.trim();
  expect(token).toMatch(/^lt_[0-9a-f]{12}_/);
  url = await startServe();
}, 120_000);

afterAll(async () => {
  if (serve !== undefined && serve.exitCode === null) {
    serve.kill('SIGKILL');
  }
  await rm(dir, { recursive: true, force: true });
});

describe('larder serve', () => {
  it('binds 127.0.0.1 and answers status and the OpenAPI document', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const status = await fetch(`${url}/api/status`);
    expect(status.status).toBe(200);
    S.Status.parse(await status.json());
    const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/advisories');
    expect(existsSync(join(ws, '.larder/state.sqlite'))).toBe(true);
  });

  it('needs a token for writes: 401 without, 201 with one from larder token create', async () => {
    const body = JSON.stringify({
      package: 'greet',
      vulnerability: 'CVE-2026-12345',
      type: 'fixed',
      fixedVersion: '1.0.0-r1',
    });
    const headers = { 'content-type': 'application/json' };
    const refused = await fetch(`${url}/api/advisories`, { method: 'POST', body, headers });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const saved = await fetch(`${url}/api/advisories`, {
      method: 'POST',
      body,
      headers: { ...headers, authorization: `Bearer ${token}` },
    });
    expect(saved.status, await saved.clone().text()).toBe(201);
    const yaml = await readFile(join(ws, 'advisories/greet.advisories.yaml'), 'utf8');
    expect(yaml).toContain('CVE-2026-12345');
    const list = larder(['token', 'list', '--workspace', ws, '--json']);
    expect(list.status, list.stderr).toBe(0);
    const tokens = JSON.parse(list.stdout) as { id: string; name: string; lastUsedAt?: string }[];
    expect(tokens).toEqual([expect.objectContaining({ name: 'ci', lastUsedAt: expect.any(String) })]);
    expect(list.stdout).not.toContain(token);
  });

  it('publishes an uploaded package and serves a repository that verifies with the served key', async () => {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'usr/share/hello'), { recursive: true });
    await writeFile(join(tree, 'usr/share/hello/hello.txt'), 'hello\n');
    const apk = join(dir, 'hello-1.0-r0.apk');
    const created = larder([
      'apk',
      'create',
      '--name',
      'hello',
      '--version',
      '1.0-r0',
      '--arch',
      'x86_64',
      '--from',
      tree,
      '--license',
      'MIT',
      '--sign-key',
      join(ws, 'keys/larder.rsa'),
      '-o',
      apk,
    ]);
    expect(created.status, created.stderr).toBe(0);
    const publisher = createRemotePublisher({ serverUrl: url, token });
    const published = await publisher.publish('x86_64', [{ fileName: 'hello-1.0-r0.apk', path: apk }], {
      key: 'build:hello@1.0-r0/x86_64#000000000000',
      recipe: 'hello',
    });
    expect(published).toEqual([
      expect.objectContaining({ name: 'hello', version: '1.0-r0', arch: 'x86_64' }),
    ]);

    const stateDir = join(dir, 'client-state');
    const fetcher = createFetcher({ stateDir });
    const keyring = await loadKeyringSources([`${url}/main/keys/larder.rsa.pub`], fetcher);
    const repository = { url: `${url}/main` };
    const [index] = await loadIndexes({ repositories: [repository], arch: 'x86_64', keyring, fetcher });
    expect(index?.trust).toEqual({ verdict: 'ok', keyName: 'larder.rsa.pub' });
    const record = index?.records.find((r) => r.name === 'hello');
    expect(record?.checksum).toBe(published[0]?.checksum);
    const got = await fetchPackage({
      repository,
      arch: 'x86_64',
      record: record as never,
      fetcher,
      stateDir,
    });
    expect(got.package.checksum).toBe(record?.checksum);
    const indexed = await fetch(`${url}/main/x86_64/APKINDEX.tar.gz`);
    const again = await fetch(`${url}/main/x86_64/APKINDEX.tar.gz`, {
      headers: { 'if-none-match': indexed.headers.get('etag') as string },
    });
    expect(again.status).toBe(304);
  }, 60_000);

  it('refuses a revoked token and stops cleanly on SIGTERM', async () => {
    const id = token.split('_')[1] as string;
    const revoked = larder(['token', 'revoke', '--workspace', ws, id]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(larder(['token', 'revoke', '--workspace', ws, id]).status).toBe(2);
    const res = await fetch(`${url}/api/reconcile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
    const child = serve as ChildProcess;
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('SIGTERM: stopping');
  });

  // Last: spawnSync blocks this process longer than the server keeps idle connections open.
  it('refuses bad options before starting', () => {
    const listen = larder(['serve', '--workspace', ws, '--listen', 'nowhere']);
    expect(listen.status).toBe(2);
    expect(listen.stderr).toContain('--listen "nowhere": expected HOST:PORT');
    const concurrency = larder(['serve', '--workspace', ws, '--concurrency', '-1']);
    expect(concurrency.status).toBe(2);
    expect(concurrency.stderr).toContain('--concurrency "-1"');
    const missing = larder(['serve', '--workspace', join(dir, 'nothing-here')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('larder.yaml');
    const noStore = larder(['token', 'list']);
    expect(noStore.status).toBe(2);
    expect(noStore.stderr).toContain('give --workspace DIR or --database URL');
    expect(existsSync(join(dir, 'nothing-here'))).toBe(false);
    const noWorkspaceStore = larder(['token', 'list', '--workspace', join(dir, 'nothing-here')]);
    expect(noWorkspaceStore.status).toBe(2);
  });
});
