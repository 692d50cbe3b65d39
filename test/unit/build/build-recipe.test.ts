import { mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadApkSigningKey, readApkPackage } from '../../../src/apk/index.js';
import { pipelineLibrary } from '../../../src/build/compile/index.js';
import {
  buildRecipe,
  hostPathOf,
  parseIgnoreRules,
  populateWorkspace,
  sandboxScript,
} from '../../../src/build/run/index.js';
import { type ClosableFetcher, createFetcher } from '../../../src/repo/index.js';
import { createFakeSandboxRunner } from '../../kit/fake-sandbox.js';
import { own, tempDir } from '../../kit/paths.js';

// Orchestration without bwrap: the fake sandbox runs each step as a function over the real
// workspace, so what buildRecipe does around the steps (workspace, order, emission,
// publishing, errors) is checked here; test/integration/cli-build.test.ts runs it for real.
const sub = (name: string): string => ['$', '{{', name, '}}'].join('');

let dir: string;
let fetcher: ClosableFetcher;
beforeEach(async () => {
  dir = await tempDir('larder-build-recipe-');
  fetcher = createFetcher({ stateDir: join(dir, 'state'), retries: 0 });
});
afterEach(async () => {
  await fetcher.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeRecipe(): Promise<string> {
  const recipeDir = join(dir, 'recipe');
  await mkdir(join(recipeDir, 'patches'), { recursive: true });
  await writeFile(join(recipeDir, 'patches', 'fix.patch'), 'a patch\n');
  const file = join(recipeDir, 'tool.yaml');
  await writeFile(
    file,
    [
      'package:',
      '  name: tool',
      '  version: 2.0.1',
      '  epoch: 3',
      '  description: a tool',
      '  copyright:',
      '    - license: Apache-2.0',
      '  dependencies:',
      '    runtime:',
      '      - ca-certificates',
      'environment:',
      '  environment:',
      '    CFLAGS: -O2',
      'pipeline:',
      '  - name: compile',
      `    runs: make DESTDIR=${sub('targets.destdir')}`,
      '  - name: install',
      `    runs: cp tool ${sub('targets.destdir')}/`,
      'subpackages:',
      '  - name: tool-doc',
      '    description: the docs',
      '    pipeline:',
      '      - name: docs',
      `        runs: cp README ${sub('targets.subpkgdir')}/`,
      '',
    ].join('\n'),
  );
  return file;
}

async function build(file: string, runner: ReturnType<typeof createFakeSandboxRunner>) {
  return buildRecipe({
    recipe: file,
    library: pipelineLibrary(),
    arch: 'x86_64',
    runner,
    fetcher,
    outDir: join(dir, 'repo'),
    signKey: await loadApkSigningKey(own('keys', 'larder-test.rsa')),
    sourceDateEpoch: 1_700_000_000,
    workDir: dir,
  });
}

describe('buildRecipe', () => {
  it('runs every step in order in one sandbox, then emits and publishes each package', async () => {
    const file = await writeRecipe();
    const seen: string[] = [];
    const runner = createFakeSandboxRunner({
      compile: async ({ workspace, step }) => {
        seen.push(
          `compile CFLAGS=${step.env.CFLAGS} PATH=${step.env.PATH !== undefined} SDE=${step.env.SOURCE_DATE_EPOCH}`,
        );
        // The source dir was copied in first, with its layout.
        seen.push(await readFile(join(workspace, 'patches', 'fix.patch'), 'utf8'));
        await writeFile(join(workspace, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
        await writeFile(join(workspace, 'README'), 'docs\n');
        return 0;
      },
      install: async ({ step, workspace }) => {
        seen.push('install');
        expect(step.script.startsWith('set -eo pipefail')).toBe(false);
        await writeFile(join(workspace, 'melange-out', 'tool', 'tool'), 'bin\n', { mode: 0o755 });
        return 0;
      },
      docs: async ({ workspace }) => {
        seen.push('docs');
        await writeFile(join(workspace, 'melange-out', 'tool-doc', 'README'), 'docs\n');
        return 0;
      },
    });
    const result = await build(file, runner);
    expect(seen).toEqual(['compile CFLAGS=-O2 PATH=true SDE=1700000000', 'a patch\n', 'install', 'docs']);
    expect(runner.prepared).toHaveLength(1);
    expect(runner.runs.every((r) => !r.network)).toBe(true);
    expect(result.packages.map((p) => [p.name, p.version])).toEqual([
      ['tool', '2.0.1-r3'],
      ['tool-doc', '2.0.1-r3'],
    ]);
    expect(await readdir(join(dir, 'repo', 'x86_64'))).toEqual([
      'APKINDEX.tar.gz',
      'tool-2.0.1-r3.apk',
      'tool-doc-2.0.1-r3.apk',
    ]);
    const main = await readApkPackage(result.packages[0]!.path);
    expect(main.pkginfo).toMatchObject({
      pkgdesc: 'a tool',
      license: 'Apache-2.0',
      builddate: 1_700_000_000,
    });
    expect(main.pkginfo.depend).toContain('ca-certificates');
    const doc = await readApkPackage(result.packages[1]!.path);
    expect(doc.pkginfo.pkgdesc).toBe('the docs');
    expect(doc.files.map((f) => f.path)).toContain('README');
    // The scratch directory is gone.
    expect((await readdir(dir)).filter((n) => n.startsWith('larder-build-'))).toEqual([]);
  });

  it('a failing step: STEP_FAILED naming the recipe and the step, later steps not run, nothing published', async () => {
    const file = await writeRecipe();
    const runner = createFakeSandboxRunner({ compile: () => 0, install: () => 2, docs: () => 0 });
    await expect(build(file, runner)).rejects.toMatchObject({
      code: 'STEP_FAILED',
      message: expect.stringMatching(new RegExp(`^${file}: build step 'install'`)),
    });
    expect(runner.runs.map((r) => r.step.name)).toEqual(['compile', 'install']);
    await expect(stat(join(dir, 'repo'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an arch outside target-architecture is skipped with a warning, as melange does', async () => {
    const file = await writeRecipe();
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        '  epoch: 3\n',
        '  epoch: 3\n  target-architecture:\n    - aarch64\n',
      ),
    );
    const runner = createFakeSandboxRunner({});
    const warnings: string[] = [];
    const result = await buildRecipe({
      recipe: file,
      library: pipelineLibrary(),
      arch: 'x86_64',
      runner,
      fetcher,
      outDir: join(dir, 'repo'),
      signKey: await loadApkSigningKey(own('keys', 'larder-test.rsa')),
      onEvent: (e) => {
        if (e.kind === 'warning') warnings.push(e.message);
      },
    });
    expect(result).toMatchObject({ packages: [], skipped: expect.stringContaining('aarch64') });
    expect(warnings).toEqual([result.skipped]);
    expect(runner.prepared).toEqual([]);
    await expect(stat(join(dir, 'repo'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('build options, appended packages and an empty workspace, as melange flags give them', async () => {
    const file = await writeRecipe();
    await writeFile(
      file,
      `${await readFile(file, 'utf8')}options:\n  with-foo:\n    environment:\n      contents:\n        packages:\n          add:\n            - foo\n`,
    );
    let sawPatch: boolean | undefined;
    const runner = createFakeSandboxRunner({
      compile: async ({ workspace }) => {
        sawPatch = await stat(join(workspace, 'patches')).then(
          () => true,
          () => false,
        );
        return 0;
      },
      install: () => 0,
      docs: () => 0,
    });
    await buildRecipe({
      recipe: file,
      library: pipelineLibrary(),
      arch: 'x86_64',
      runner,
      fetcher,
      outDir: join(dir, 'repo'),
      signKey: await loadApkSigningKey(own('keys', 'larder-test.rsa')),
      buildOptions: ['with-foo'],
      extraPackages: ['bar'],
      extraRepositories: ['/extra/repo'],
      emptyWorkspace: true,
    });
    expect(sawPatch).toBe(false);
    expect(runner.prepared[0]?.contents.packages).toEqual(expect.arrayContaining(['foo', 'bar']));
    expect(runner.prepared[0]?.contents.repositories).toEqual(['/extra/repo']);
  });

  it('an invalid recipe is RECIPE_INVALID before any sandbox is prepared', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'package:\n  name: x\n  version: 1\npipeline:\n  - runs: true\n    bogus: 1\n');
    const runner = createFakeSandboxRunner({});
    await expect(build(file, runner)).rejects.toMatchObject({ code: 'RECIPE_INVALID' });
    expect(runner.prepared).toEqual([]);
  });
});

describe('the workspace', () => {
  it('copies regular files with their modes and skips symlinks', async () => {
    const src = join(dir, 'src');
    await mkdir(join(src, 'a', 'b'), { recursive: true });
    await writeFile(join(src, 'a', 'b', 'run.sh'), 'x', { mode: 0o750 });
    await symlink('/etc/passwd', join(src, 'link'));
    const ws = join(dir, 'ws');
    await mkdir(ws);
    expect(await populateWorkspace(src, ws)).toBe(1);
    expect((await stat(join(ws, 'a', 'b', 'run.sh'))).mode & 0o777).toBe(0o750);
    await expect(stat(join(ws, 'link'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves out what .melangeignore names, and a missing source dir is an empty workspace', async () => {
    const src = join(dir, 'src');
    await mkdir(join(src, 'build', 'deep'), { recursive: true });
    await writeFile(join(src, 'build', 'deep', 'obj.o'), 'x');
    await writeFile(join(src, 'keep.c'), 'x');
    await writeFile(join(src, 'skip.log'), 'x');
    await writeFile(join(src, 'important.log'), 'x');
    await writeFile(join(src, '.melangeignore'), '# comment\n/build/\n*.log\n!important.log\n');
    const ws = join(dir, 'ws');
    await mkdir(ws);
    expect(await populateWorkspace(src, ws)).toBe(3);
    expect((await readdir(ws)).sort()).toEqual(['.melangeignore', 'important.log', 'keep.c']);
    expect(await populateWorkspace(join(dir, 'absent'), ws)).toBeUndefined();
  });

  it('ignore patterns: * within a segment, ** across, classes; an unclosed [ is an error at file:line', () => {
    const rules = parseIgnoreRules('a/*.txt\n**/cache\nv[0-9].bin\n', '.melangeignore');
    expect(['a/x.txt', 'x/y/cache/z', 'cache', 'v1.bin'].map((p) => rules.ignored(p))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['a/b/x.txt', 'b/x.txt', 'vx.bin', 'cachex'].map((p) => rules.ignored(p))).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(() => parseIgnoreRules('ok\n\nbad[x\n', 'src/.melangeignore')).toThrow(
      /src\/\.melangeignore:3: pattern "bad\[x" has an unclosed \[/,
    );
  });

  it('maps staging directories under /home/build and refuses any other', () => {
    expect(hostPathOf('/w', '/home/build/melange-out/x')).toBe('/w/melange-out/x');
    for (const bad of ['/home/build', '/home/builder/x', '/etc', '/home/build/../x'])
      expect(() => hostPathOf('/w', bad), bad).toThrow(/not inside the workspace/);
  });

  it('drops only a leading pipefail line from plan scripts', () => {
    const step = { kind: 'run' as const, name: 's', workdir: '/home/build', environment: {} };
    expect(sandboxScript({ ...step, script: 'set -eo pipefail\ncd x\nmake' })).toBe('cd x\nmake');
    expect(sandboxScript({ ...step, script: 'make\nset -eo pipefail\n' })).toBe('make\nset -eo pipefail\n');
  });
});
