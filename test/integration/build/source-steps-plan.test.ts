import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRecipeText, pipelineLibrary, type SourceStep } from '../../../src/build/compile/index.js';
import { runSourceStep } from '../../../src/build/fetch/index.js';
import { type ClosableFetcher, createFetcher } from '../../../src/repo/index.js';
import { tempDir } from '../../kit/paths.js';

// The contract between the compiler and the source steps: a recipe of ours whose fetch and
// git-checkout steps come out of the compiler as plan steps that runSourceStep runs as they are.

let work: string;
let fetcher: ClosableFetcher;
beforeEach(async () => {
  work = await tempDir('larder-source-plan-');
  fetcher = createFetcher({ stateDir: join(work, 'state'), retries: 0 });
});
afterEach(async () => {
  await fetcher.close();
  await rm(work, { recursive: true, force: true });
});

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-C', dir, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], {
    env: ENV,
    encoding: 'utf8',
  }).trim();

describe('source steps from a compiled plan', () => {
  it('runs the fetch and git-checkout steps the compiler emits, with their defaults', async () => {
    const upstream = join(work, 'upstream');
    await mkdir(upstream);
    git(upstream, 'init', '-q', '-b', 'main');
    await writeFile(join(upstream, 'main.c'), 'int main(void){return 0;}\n');
    git(upstream, 'add', 'main.c');
    git(upstream, 'commit', '-q', '-m', 'first');
    git(upstream, 'tag', 'v1.2.0');
    const commit = git(upstream, 'rev-parse', 'HEAD');

    const data = join(work, 'data');
    await mkdir(join(data, 'extras-1.2.0'), { recursive: true });
    await writeFile(join(data, 'extras-1.2.0', 'extra.txt'), 'extra\n');
    const tarball = join(work, 'extras-1.2.0.tar.gz');
    execFileSync('tar', ['-C', data, '-czf', tarball, 'extras-1.2.0']);
    const sum = createHash('sha256')
      .update(await readFile(tarball))
      .digest('hex');

    const recipe = [
      'package:',
      '  name: demo',
      '  version: 1.2.0',
      '  epoch: 0',
      '  description: demo',
      '  copyright:',
      '    - license: MIT',
      'pipeline:',
      '  - uses: git-checkout',
      '    with:',
      `      repository: ${pathToFileURL(upstream).href}`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a melange substitution, not a template
      '      tag: v${{package.version}}',
      `      expected-commit: ${commit}`,
      '  - uses: fetch',
      '    with:',
      `      uri: file://${work}/extras-\${{package.version}}.tar.gz`,
      `      expected-sha256: ${sum}`,
      '      directory: extras',
      '  - runs: make',
      '',
    ].join('\n');
    const plan = compileRecipeText(recipe, 'demo.yaml', { library: pipelineLibrary() });
    const sources = plan.packages[0]!.steps.filter((s): s is SourceStep => s.kind !== 'run');
    expect(sources.map((s) => s.kind)).toEqual(['git-checkout', 'fetch']);

    const workspace = join(work, 'home');
    await mkdir(workspace);
    for (const step of sources) await runSourceStep(step, { workspace, recipe: 'demo.yaml' }, { fetcher });
    expect(await readFile(join(workspace, 'main.c'), 'utf8')).toContain('main');
    expect(await readFile(join(workspace, 'extras', 'extra.txt'), 'utf8')).toBe('extra\n');
    expect(git(workspace, 'rev-parse', 'HEAD')).toBe(commit);
  });
});
