// biome-ignore-all lint/suspicious/noTemplateCurlyInString: recipes hold melange ${{...}} substitutions
// The update-check job against real upstreams on this machine: git repositories with tags (read
// with git ls-remote) and a local HTTP server answering as release-monitoring.org does.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LarderError } from '../../src/core/index.js';
import { listEvents, type Workspace } from '../../src/factory/index.js';
import { createUpdateCheckJob } from '../../src/factory/jobs/update-check/index.js';
import { isRetryable } from '../../src/factory/service.js';
import { type FakeHttpServer, startFakeHttpServer } from '../kit/fake-http-server.js';
import { tempDir } from '../kit/paths.js';
import { jobContext, jobRecord, jobWorkspace } from '../unit/factory/jobs/build/job-kit.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** A repository with one commit per tag; returns the tag → commit map. */
async function taggedRepository(dir: string, tags: readonly string[]): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  const commits: Record<string, string> = {};
  for (const tag of tags) {
    await writeFile(join(dir, 'VERSION'), `${tag}\n`);
    git(dir, 'add', 'VERSION');
    git(dir, 'commit', '-q', '-m', tag);
    git(dir, 'tag', '-a', '-m', tag, tag);
    commits[tag] = git(dir, 'rev-parse', 'HEAD');
  }
  return commits;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let base: string;
let server: FakeHttpServer;
let upstream: string;
let commits: Record<string, string>;
beforeAll(async () => {
  base = await tempDir('larder-update-check-');
  upstream = join(base, 'upstream', 'acme', 'tool');
  commits = await taggedRepository(upstream, ['v1.0.0', 'v1.2.0', 'v1.10.0', 'v2.0.0-rc1', 'other-9.0']);
  server = await startFakeHttpServer();
  server.put('/src/hello-2.0.tar.gz', 'hello 2.0\n');
  server.put('/src/hello-2.1.tar.gz', 'hello 2.1\n');
});
afterAll(() => server.close());

function gitRecipe(repository: string, update: string): string {
  return `package:
  name: tool
  version: 1.2.0
  epoch: 3
  description: a tool
  copyright:
    - license: MIT
pipeline:
  - uses: git-checkout
    with:
      repository: ${repository}
      tag: v\${{package.version}}
      expected-commit: ${commits['v1.2.0']}
  - runs: true
update:
  enabled: true
${update}`;
}

function helloRecipe(): string {
  return `package:
  name: hello
  version: "2.0"
  epoch: 1
  description: hello
  copyright:
    - license: MIT
pipeline:
  - uses: fetch
    with:
      uri: ${server.url}/src/hello-\${{package.version}}.tar.gz
      expected-sha256: ${sha256('hello 2.0\n')}
  - runs: true
update:
  enabled: true
  release-monitor:
    identifier: 4242
`;
}

async function check(ws: Workspace, recipe: string, env: NodeJS.ProcessEnv = {}) {
  const context = await jobContext(ws);
  const file = ws.recipes.find((r) => r.name === recipe)?.file as string;
  const job = jobRecord('update-check', `update-check:${recipe}@2026-11-28T00:00:00.000Z`, {
    recipe,
    file,
    slot: '2026-11-28T00:00:00.000Z',
  });
  const run = () => createUpdateCheckJob({ env })(job, context);
  return { context, file, run };
}

async function failure(promise: Promise<unknown>): Promise<LarderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof LarderError)) throw new Error(`expected a LarderError, got ${String(err)}`);
  return err;
}

describe('the update-check job', () => {
  it('bumps a recipe to the newest git tag: version, epoch 0, tag commit; an upstream-release event', async () => {
    const ws = await jobWorkspace({
      'recipes/tool.yaml': gitRecipe(upstream, '  git:\n    strip-prefix: v\n    tag-filter-prefix: v\n'),
    });
    const { context, file, run } = await check(ws, 'tool');
    expect(await run()).toEqual({ current: '1.2.0', latest: '1.10.0', bumped: true });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('version: 1.10.0');
    expect(text).toContain('epoch: 0');
    expect(text).toContain(`expected-commit: ${commits['v1.10.0']}`);
    expect(text).toContain('tag: v${{package.version}}');
    const [event] = await listEvents(context.store);
    expect(event).toMatchObject({ kind: 'upstream-release', subject: 'recipe:tool' });
    expect(event?.details).toMatchObject({ previous: '1.2.0', latest: '1.10.0', upstream: 'v1.10.0' });
    expect(context.lines.some((l) => l.includes('newest version 1.10.0'))).toBe(true);

    // Checked again: up to date, the file untouched, no event.
    expect(await run()).toEqual({ current: '1.10.0', latest: '1.10.0', bumped: false });
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await listEvents(context.store)).toHaveLength(1);
  });

  it('honours ignore-regex-patterns and reads a file:// repository', async () => {
    const ws = await jobWorkspace({
      'recipes/tool.yaml': gitRecipe(
        `file://${upstream}`,
        '  ignore-regex-patterns:\n    - "^v1\\\\.10"\n  git:\n    strip-prefix: v\n',
      ),
    });
    const { run } = await check(ws, 'tool');
    expect(await run()).toEqual({ current: '1.2.0', latest: '1.2.0', bumped: false });
  });

  it('reads github tags from LARDER_GITHUB_URL/<org>/<repo>', async () => {
    const ws = await jobWorkspace({
      'recipes/tool.yaml': gitRecipe(
        upstream,
        '  github:\n    identifier: acme/tool\n    strip-prefix: v\n    use-tag: true\n',
      ),
    });
    const { run } = await check(ws, 'tool', { LARDER_GITHUB_URL: join(base, 'upstream') });
    expect(await run()).toMatchObject({ latest: '1.10.0', bumped: true });
  });

  it('asks release-monitor and refreshes the fetch checksum of the new version', async () => {
    server.put(
      '/api/v2/versions/',
      JSON.stringify({
        latest_version: '2.1',
        versions: ['2.2rc1', '2.1', '2.0'],
        stable_versions: ['2.1', '2.0', '1.0'],
      }),
    );
    const ws = await jobWorkspace({ 'recipes/hello.yaml': helloRecipe() });
    const { context, file, run } = await check(ws, 'hello', { LARDER_RELEASE_MONITOR_URL: server.url });
    expect(await run()).toEqual({ current: '2.0', latest: '2.1', bumped: true });
    const text = await readFile(file, 'utf8');
    expect(text).toContain('version: "2.1"');
    expect(text).toContain(`expected-sha256: ${sha256('hello 2.1\n')}`);
    expect(text).toContain('epoch: 0');
    expect(server.requestsFor('/api/v2/versions/').length).toBeGreaterThan(0);
    expect((await listEvents(context.store))[0]?.details).toMatchObject({ previous: '2.0', latest: '2.1' });
  });

  it('fails retryably on a broken release-monitor answer or an unreachable repository, the recipe untouched', async () => {
    server.put('/api/v2/versions/', '<html>busy</html>');
    const ws = await jobWorkspace({ 'recipes/hello.yaml': helloRecipe() });
    const { file, run } = await check(ws, 'hello', { LARDER_RELEASE_MONITOR_URL: server.url });
    const before = await readFile(file, 'utf8');
    const err = await failure(run());
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.message).toContain(
      `${server.url}/api/v2/versions/?project_id=4242: unexpected release-monitor answer: not JSON`,
    );
    expect(isRetryable(err)).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(before);

    const gone = join(base, 'no-such-repo');
    const ws2 = await jobWorkspace({ 'recipes/tool.yaml': gitRecipe(gone, '  git: {}\n') });
    const missing = await failure((await check(ws2, 'tool')).run());
    expect(missing.code).toBe('FETCH_FAILED');
    expect(missing.message).toContain(`git ls-remote --tags ${gone}`);
    expect(isRetryable(missing)).toBe(true);
  });

  it('fails without retry when the recipe names no source it can ask', async () => {
    const recipe = `package:
  name: tool
  version: 1.2.0
  epoch: 0
  description: a tool
  copyright:
    - license: MIT
pipeline:
  - runs: true
update:
  enabled: true
  git: {}
`;
    const ws = await jobWorkspace({ 'recipes/tool.yaml': recipe });
    const err = await failure((await check(ws, 'tool')).run());
    expect(err.code).toBe('RECIPE_INVALID');
    expect(err.message).toContain('update.git: the pipeline has no git-checkout step with a repository');
    expect(isRetryable(err)).toBe(false);
  });
});
