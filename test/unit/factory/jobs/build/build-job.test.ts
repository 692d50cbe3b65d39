// biome-ignore-all lint/suspicious/noTemplateCurlyInString: recipes hold melange ${{...}} substitutions
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readApkIndex } from '../../../../../src/apk/index.js';
import { LarderError } from '../../../../../src/core/index.js';
import {
  listBuilds,
  listEvents,
  listPackages,
  type WorkspaceRecipe,
} from '../../../../../src/factory/index.js';
import { createBuildJob } from '../../../../../src/factory/jobs/build/index.js';
import { isRetryable } from '../../../../../src/factory/service.js';
import { createFakeSandboxRunner, type FakeStep } from '../../../../kit/fake-sandbox.js';
import { jobContext, jobRecord, jobWorkspace } from './job-kit.js';

const HELLO = `package:
  name: hello
  version: 1.2.0
  epoch: 1
  description: says hello
  copyright:
    - license: MIT
pipeline:
  - name: install
    runs: |
      mkdir -p \${{targets.destdir}}/usr/share/hello
subpackages:
  - name: hello-doc
    description: hello's docs
    pipeline:
      - name: docs
        runs: mkdir -p \${{targets.subpkgdir}}/usr/share/doc
`;

const WORLD = `package:
  name: world
  version: 2.0.0
  epoch: 0
  description: needs hello
  copyright:
    - license: MIT
environment:
  contents:
    packages:
      - hello
pipeline:
  - name: install
    runs: mkdir -p \${{targets.destdir}}/usr/share/world
`;

const STEPS: Record<string, FakeStep> = {
  install: async ({ hostPath, workspace, print }) => {
    const greeting = await readFile(join(workspace, 'greeting.txt'), 'utf8').catch(() => 'none\n');
    const dir = hostPath('/home/build/melange-out/hello/usr/share/hello');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await writeFile(join(dir, 'greeting'), greeting);
    print(`installed ${greeting.trim()}`);
    return 0;
  },
  docs: async ({ hostPath }) => {
    const dir = hostPath('/home/build/melange-out/hello-doc/usr/share/doc/hello');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
    await writeFile(join(dir, 'README'), 'read me\n');
    return 0;
  },
};

function payloadOf(recipe: WorkspaceRecipe, arch = 'x86_64'): Record<string, unknown> {
  return {
    recipe: recipe.name,
    file: recipe.file,
    version: recipe.version,
    epoch: recipe.epoch,
    arch,
    recipeHash: recipe.hash,
  };
}

function keyOf(recipe: WorkspaceRecipe): string {
  return `build:${recipe.name}@${recipe.version}-r${recipe.epoch}/x86_64#${recipe.hash.slice(7, 19)}`;
}

async function failure(promise: Promise<unknown>): Promise<LarderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof LarderError)) throw new Error(`expected a LarderError, got ${String(err)}`);
  return err;
}

describe('the build job', () => {
  it('builds the recipe with its source dir, publishes its packages and records the build', async () => {
    const ws = await jobWorkspace({
      'recipes/hello.yaml': HELLO,
      'recipes/hello/greeting.txt': 'hi there\n',
    });
    const context = await jobContext(ws);
    const runner = createFakeSandboxRunner(STEPS);
    const hello = ws.recipes[0] as WorkspaceRecipe;
    const job = jobRecord('build', keyOf(hello), payloadOf(hello));
    const result = await createBuildJob({ runner: () => runner })(job, context);

    expect(result).toMatchObject({
      packages: [
        { name: 'hello', version: '1.2.0-r1' },
        { name: 'hello-doc', version: '1.2.0-r1' },
      ],
      arch: 'x86_64',
    });
    expect(typeof result.durationMs).toBe('number');
    const dir = join(ws.config.repository.dir, 'x86_64');
    const index = readApkIndex(await readFile(join(dir, 'APKINDEX.tar.gz')));
    expect(index.records.map((r) => `${r.name}-${r.version}`).sort()).toEqual([
      'hello-1.2.0-r1',
      'hello-doc-1.2.0-r1',
    ]);
    expect(context.lines).toContain('[install] installed hi there');
    expect(context.lines.some((l) => l.startsWith('[install] running (run) for hello'))).toBe(true);
    expect(context.lines).toContain('published hello-1.2.0-r1 (x86_64)');

    const [build] = await listBuilds(context.store);
    expect(build).toMatchObject({
      key: job.key,
      recipe: 'hello',
      version: '1.2.0-r1',
      arch: 'x86_64',
      recipeHash: hello.hash,
      status: 'succeeded',
      finishedAt: '2026-11-28T05:01:00.000Z',
    });
    expect(build?.error).toBeUndefined();
    const packages = await listPackages(context.store);
    expect(packages.map((p) => [p.name, p.version, p.origin, p.buildKey])).toEqual([
      ['hello', '1.2.0-r1', 'hello', job.key],
      ['hello-doc', '1.2.0-r1', 'hello', job.key],
    ]);
    const events = await listEvents(context.store);
    expect(events.map((e) => [e.kind, e.subject]).sort()).toEqual([
      ['package-published', 'package:hello-1.2.0-r1'],
      ['package-published', 'package:hello-doc-1.2.0-r1'],
    ]);
    // No guest packages asked for and no index yet: the workspace repository is not offered.
    expect(runner.prepared[0]?.contents.keyring).toContain(`${ws.config.repository.signingKey}.pub`);
  });

  it('resolves later builds from the workspace repository and starts empty without a source dir', async () => {
    const ws = await jobWorkspace({ 'recipes/hello.yaml': HELLO, 'recipes/world.yaml': WORLD });
    const context = await jobContext(ws);
    const [hello, world] = ws.recipes as WorkspaceRecipe[];
    const first = createFakeSandboxRunner(STEPS);
    await createBuildJob({ runner: () => first })(
      jobRecord('build', keyOf(hello as WorkspaceRecipe), payloadOf(hello as WorkspaceRecipe)),
      context,
    );
    expect(context.lines).toContain('[install] installed none');
    const second = createFakeSandboxRunner({
      install: ({ hostPath }) =>
        import('node:fs/promises').then(async (fs) => {
          await fs.mkdir(hostPath('/home/build/melange-out/world/usr/share/world'), { recursive: true });
          return 0;
        }),
    });
    await createBuildJob({ runner: () => second })(
      jobRecord('build', keyOf(world as WorkspaceRecipe), payloadOf(world as WorkspaceRecipe)),
      context,
    );
    const contents = second.prepared[0]?.contents;
    expect(contents?.repositories).toContain(ws.config.repository.dir);
    expect(contents?.keyring).toContain(`${ws.config.repository.signingKey}.pub`);
    expect(contents?.packages).toContain('hello');
    const names = (await listPackages(context.store)).map((p) => p.name);
    expect(names).toEqual(['hello', 'hello-doc', 'world']);
  });

  it('fails a failing step without retry: the build recorded failed, a build-failed event', async () => {
    const ws = await jobWorkspace({ 'recipes/hello.yaml': HELLO });
    const context = await jobContext(ws);
    const runner = createFakeSandboxRunner({
      ...STEPS,
      install: ({ printErr }) => {
        printErr('no space');
        return 2;
      },
    });
    const hello = ws.recipes[0] as WorkspaceRecipe;
    const job = jobRecord('build', keyOf(hello), payloadOf(hello));
    const err = await failure(createBuildJob({ runner: () => runner })(job, context));
    expect(err.code).toBe('STEP_FAILED');
    expect(err.message).toContain("'install'");
    expect(isRetryable(err)).toBe(false);
    expect(context.lines).toContain('[install] no space');
    const [build] = await listBuilds(context.store);
    expect(build).toMatchObject({ status: 'failed', error: err.message });
    const [event] = await listEvents(context.store);
    expect(event).toMatchObject({ kind: 'build-failed', subject: 'recipe:hello' });
    expect(event?.message).toContain('build of hello 1.2.0-r1 (x86_64) failed');
    expect(await listPackages(context.store)).toEqual([]);
  });

  it('fails a recipe with a problem without retry, naming the file', async () => {
    const ws = await jobWorkspace({ 'recipes/hello.yaml': HELLO });
    const broken = { ...(ws.recipes[0] as WorkspaceRecipe), problem: 'package.version: required' };
    const context = await jobContext({ ...ws, recipes: [broken] });
    const err = await failure(
      createBuildJob({ runner: () => createFakeSandboxRunner(STEPS) })(
        jobRecord('build', keyOf(broken), payloadOf(broken)),
        context,
      ),
    );
    expect(err.code).toBe('RECIPE_INVALID');
    expect(err.message).toContain(broken.file);
    expect(err.message).toContain('package.version: required');
    expect(isRetryable(err)).toBe(false);
    expect((await listBuilds(context.store))[0]?.status).toBe('failed');
    expect((await listEvents(context.store))[0]?.kind).toBe('build-failed');
  });

  it('fails a job planned for another version of the recipe, or for a recipe gone', async () => {
    const ws = await jobWorkspace({ 'recipes/hello.yaml': HELLO });
    const context = await jobContext(ws);
    const hello = ws.recipes[0] as WorkspaceRecipe;
    const body = createBuildJob({ runner: () => createFakeSandboxRunner(STEPS) });
    const stale = await failure(
      body(jobRecord('build', 'k1', { ...payloadOf(hello), version: '1.1.0' }), context),
    );
    expect(stale.message).toContain('the recipe is now 1.2.0-r1, not 1.1.0-r1 as planned');
    expect(isRetryable(stale)).toBe(false);
    const gone = await failure(
      body(jobRecord('build', 'k2', { ...payloadOf(hello), recipe: 'gone' }), context),
    );
    expect(gone.message).toContain('recipe gone is no longer in the workspace');
  });

  it('leaves environment failures retryable', async () => {
    const ws = await jobWorkspace({ 'recipes/hello.yaml': HELLO });
    const context = await jobContext(ws);
    const hello = ws.recipes[0] as WorkspaceRecipe;
    const why = new LarderError('SANDBOX_UNAVAILABLE', 'no user namespaces');
    const err = await failure(
      createBuildJob({ runner: () => createFakeSandboxRunner(STEPS, { unavailable: why }) })(
        jobRecord('build', keyOf(hello), payloadOf(hello)),
        context,
      ),
    );
    expect(err.code).toBe('SANDBOX_UNAVAILABLE');
    expect(isRetryable(err)).toBe(true);
    expect((await listBuilds(context.store))[0]).toMatchObject({
      status: 'failed',
      error: 'no user namespaces',
    });
  });

  it('rejects a broken payload without retry, naming the key and field', async () => {
    const ws = await jobWorkspace({ 'recipes/hello.yaml': HELLO });
    const context = await jobContext(ws);
    const hello = ws.recipes[0] as WorkspaceRecipe;
    const body = createBuildJob({ runner: () => createFakeSandboxRunner(STEPS) });
    const cases: Array<[unknown, string]> = [
      [null, 'the payload is not an object'],
      [[], 'the payload is not an object'],
      [{ ...payloadOf(hello), recipe: 7 }, 'payload.recipe must be a non-empty string, got 7'],
      [{ ...payloadOf(hello), file: '' }, 'payload.file must be a non-empty string'],
      [{ ...payloadOf(hello), arch: undefined }, 'payload.arch must be a non-empty string, got nothing'],
      [{ ...payloadOf(hello), epoch: '1' }, 'payload.epoch must be a whole number ≥ 0, got "1"'],
      [{ ...payloadOf(hello), epoch: -1 }, 'payload.epoch must be a whole number ≥ 0, got -1'],
      [{ ...payloadOf(hello), epoch: 1.5 }, 'payload.epoch must be a whole number ≥ 0, got 1.5'],
    ];
    for (const [payload, message] of cases) {
      const err = await failure(
        body(jobRecord('build', 'build:x', payload as Record<string, unknown>), context),
      );
      expect(err.code).toBe('JOB_INVALID');
      expect(err.message).toContain(`job build:x: ${message}`);
      expect(isRetryable(err)).toBe(false);
    }
    expect(await listBuilds(context.store)).toEqual([]);
  });
});
