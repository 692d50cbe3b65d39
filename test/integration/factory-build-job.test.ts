// biome-ignore-all lint/suspicious/noTemplateCurlyInString: recipes hold melange ${{...}} substitutions
// The build job with the real sandbox (required in CI): bubblewrap over a package root made of
// Debian's busybox-static packaged by larder (test/kit/busybox-repo.ts), publishing into the
// workspace repository through the local publisher; a later build resolves what an earlier one
// published. Needs bubblewrap and busybox-static (.ci/run installs both).
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readApkIndex, readApkPackage } from '../../src/apk/index.js';
import { hostBuildArch } from '../../src/build/index.js';
import { LarderError } from '../../src/core/index.js';
import {
  initWorkspace,
  listBuilds,
  listEvents,
  listPackages,
  loadWorkspace,
  type Workspace,
  type WorkspaceRecipe,
} from '../../src/factory/index.js';
import { buildJob } from '../../src/factory/jobs/build/index.js';
import { isRetryable } from '../../src/factory/service.js';
import { openStore, type Store } from '../../src/store/index.js';
import { busyboxRepository } from '../kit/busybox-repo.js';
import { tempDir } from '../kit/paths.js';
import { jobContext, jobRecord } from '../unit/factory/jobs/build/job-kit.js';

const ARCH = hostBuildArch();

const HELLO = `package:
  name: hello
  version: 1.0.0
  epoch: 0
  description: a greeting file
  copyright:
    - license: MIT
environment:
  contents:
    packages:
      - busybox
pipeline:
  - name: install
    runs: |
      mkdir -p \${{targets.destdir}}/usr/share/hello
      cp greeting.txt \${{targets.destdir}}/usr/share/hello/greeting
      echo "built at $SOURCE_DATE_EPOCH"
`;

const WORLD = `package:
  name: world
  version: 0.5.0
  epoch: 2
  description: reads hello's greeting at build time
  copyright:
    - license: MIT
environment:
  contents:
    packages:
      - busybox
      - hello
pipeline:
  - name: copy
    runs: |
      mkdir -p \${{targets.destdir}}/usr/share/world
      cat /usr/share/hello/greeting | tee \${{targets.destdir}}/usr/share/world/from-hello
`;

const BROKEN = `package:
  name: broken
  version: 1.0.0
  epoch: 0
  description: its step fails
  copyright:
    - license: MIT
environment:
  contents:
    packages:
      - busybox
pipeline:
  - name: fail
    runs: |
      echo "about to fail"
      exit 3
`;

let ws: Workspace;
let store: Store;
beforeAll(async () => {
  const base = await tempDir('larder-factory-build-');
  const root = join(base, 'ws');
  await initWorkspace(root, { rsaBits: 2048 });
  for (const dir of ['recipes', 'images'])
    for (const name of await readdir(join(root, dir))) await rm(join(root, dir, name), { recursive: true });
  const guest = await busyboxRepository(base, ARCH, join(root, 'keys', 'larder.rsa'));
  const config = join(root, 'larder.yaml');
  const text = (await readFile(config, 'utf8'))
    .replace('archs: [x86_64]', `archs: [${ARCH}]`)
    .replace('  extra-repositories: []', `  extra-repositories: [${guest}]`);
  await writeFile(config, text);
  await writeFile(join(root, 'recipes', 'hello.yaml'), HELLO);
  await mkdir(join(root, 'recipes', 'hello'));
  await writeFile(join(root, 'recipes', 'hello', 'greeting.txt'), 'hello from the source dir\n');
  await writeFile(join(root, 'recipes', 'world.yaml'), WORLD);
  await writeFile(join(root, 'recipes', 'broken.yaml'), BROKEN);
  ws = await loadWorkspace(root);
  store = await openStore(':memory:');
}, 120_000);

function jobOf(recipe: WorkspaceRecipe) {
  return jobRecord(
    'build',
    `build:${recipe.name}@${recipe.version}-r${recipe.epoch}/${ARCH}#${recipe.hash.slice(7, 19)}`,
    {
      recipe: recipe.name,
      file: recipe.file,
      version: recipe.version,
      epoch: recipe.epoch,
      arch: ARCH,
      recipeHash: recipe.hash,
    },
  );
}

const recipe = (name: string) => ws.recipes.find((r) => r.name === name) as WorkspaceRecipe;

describe('the build job in the bubblewrap sandbox', () => {
  it('builds a recipe with its source dir and publishes it into the workspace repository', async () => {
    const context = await jobContext(ws, store);
    const result = await buildJob(jobOf(recipe('hello')), context);
    expect(result).toMatchObject({ packages: [{ name: 'hello', version: '1.0.0-r0' }], arch: ARCH });
    expect(context.lines).toContain('[install] built at 0');
    const dir = join(ws.config.repository.dir, ARCH);
    const index = readApkIndex(await readFile(join(dir, 'APKINDEX.tar.gz')));
    expect(index.records.map((r) => `${r.name}-${r.version}`)).toEqual(['hello-1.0.0-r0']);
    const pkg = await readApkPackage(join(dir, 'hello-1.0.0-r0.apk'));
    expect(pkg.files.map((f) => f.path)).toContain('usr/share/hello/greeting');
    expect((await listBuilds(store, { recipe: 'hello' }))[0]?.status).toBe('succeeded');
  }, 300_000);

  it('resolves a later build from the packages published before it', async () => {
    const context = await jobContext(ws, store);
    const result = await buildJob(jobOf(recipe('world')), context);
    expect(result).toMatchObject({ packages: [{ name: 'world', version: '0.5.0-r2' }] });
    expect(context.lines).toContain('[copy] hello from the source dir');
    expect((await listPackages(store)).map((p) => `${p.name}-${p.version}`)).toEqual([
      'hello-1.0.0-r0',
      'world-0.5.0-r2',
    ]);
    const index = readApkIndex(await readFile(join(ws.config.repository.dir, ARCH, 'APKINDEX.tar.gz')));
    expect(index.records.map((r) => r.name)).toEqual(['hello', 'world']);
  }, 300_000);

  it('fails a failing step without retry, with the step output in the log and a build-failed event', async () => {
    const context = await jobContext(ws, store);
    const err = await buildJob(jobOf(recipe('broken')), context).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe('STEP_FAILED');
    expect(isRetryable(err)).toBe(false);
    expect(context.lines).toContain('[fail] about to fail');
    expect((await listBuilds(store, { recipe: 'broken' }))[0]).toMatchObject({
      status: 'failed',
      error: (err as LarderError).message,
    });
    const events = await listEvents(store, { kind: 'build-failed' });
    expect(events.map((e) => e.subject)).toEqual(['recipe:broken']);
    expect((await listPackages(store)).map((p) => p.name)).not.toContain('broken');
  }, 300_000);
});
