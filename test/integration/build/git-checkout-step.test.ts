import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runGitCheckoutStep, type SourceStepInput } from '../../../src/build/fetch/index.js';
import { isLarderError } from '../../../src/core/index.js';
import { tempDir } from '../../kit/paths.js';

// git-checkout with the system git against repositories made here: tags (lightweight and
// annotated), a branch with history, a fixes branch to cherry-pick from.

let root: string;
let repo: string;
const commits: Record<string, string> = {};
let annotatedTagObject: string;

const ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '@1700000000 +0000',
  GIT_COMMITTER_DATE: '@1700000000 +0000',
};

function git(...args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { env: ENV, encoding: 'utf8' }).trim();
}

async function commit(file: string, text: string, message: string): Promise<string> {
  await writeFile(join(repo, file), text);
  git('add', file);
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  root = await tempDir('larder-git-src-');
  repo = join(root, 'upstream');
  await mkdir(repo);
  git('init', '-q', '-b', 'main');
  commits.one = await commit('hello.c', 'one\n', 'one');
  git('tag', 'v1');
  commits.two = await commit('hello.c', 'two\n', 'two');
  git('tag', '-a', '-m', 'release 2', 'v2');
  annotatedTagObject = git('rev-parse', 'refs/tags/v2');
  commits.three = await commit('hello.c', 'three\n', 'three');
  git('checkout', '-q', '-b', 'fixes', commits.one);
  commits.fix = await commit('fix.txt', 'fixed\n', 'the fix');
  git('checkout', '-q', '-b', 'unrelated', commits.one);
  commits.unrelated = await commit('other.txt', 'x\n', 'unrelated');
  git('checkout', '-q', '-b', 'tree', commits.one);
  await mkdir(join(repo, 'a'));
  await mkdir(join(repo, 'b'));
  await writeFile(join(repo, 'b', 'y.txt'), 'y\n');
  git('add', 'b/y.txt');
  commits.tree = await commit('a/x.txt', 'x\n', 'two directories');
  git('checkout', '-q', 'main');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let work: string;
let workspace: string;
beforeEach(async () => {
  work = await tempDir('larder-git-');
  workspace = join(work, 'home');
  await mkdir(workspace);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function step(inputs: Record<string, string>, name = 'git-checkout'): SourceStepInput {
  return { kind: 'git-checkout', name, workdir: '/home/build', inputs: { 'max-retries': '0', ...inputs } };
}

const head = (dir: string): string =>
  execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { env: ENV, encoding: 'utf8' }).trim();

describe('git-checkout', () => {
  it('checks out a tag from a file:// URL at the expected commit, .git included', async () => {
    const result = await runGitCheckoutStep(
      step({ repository: pathToFileURL(repo).href, tag: 'v1', 'expected-commit': commits.one! }),
      { workspace },
    );
    expect(result.commit).toBe(commits.one);
    expect(await readFile(join(workspace, 'hello.c'), 'utf8')).toBe('one\n');
    expect(head(workspace)).toBe(commits.one);
    expect((await readdir(workspace)).sort()).toEqual(['.git', 'hello.c']);
    expect(result.warnings).toEqual([]);
  });

  it('fails on a wrong expected-commit naming the step, repository and both commits, leaving nothing', async () => {
    const err = await runGitCheckoutStep(
      step({ repository: repo, tag: 'v2', 'expected-commit': commits.one! }, 'sources'),
      { workspace, recipe: 'hello.yaml' },
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'SOURCE_COMMIT_MISMATCH')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain("hello.yaml: step 'sources' (git-checkout)");
    expect(message).toContain(repo);
    expect(message).toContain(`expected commit ${commits.one}, got ${commits.two}`);
    expect(await readdir(workspace)).toEqual([]);
  });

  it("accepts an annotated tag's object hash with a warning", async () => {
    const result = await runGitCheckoutStep(
      step({ repository: repo, tag: 'v2', 'expected-commit': annotatedTagObject }),
      { workspace },
    );
    expect(result.commit).toBe(commits.two);
    expect(result.warnings.join('\n')).toContain(`set it to ${commits.two}`);
  });

  it('resets a full-history branch clone to an older expected commit, into a destination', async () => {
    const result = await runGitCheckoutStep(
      step({
        repository: pathToFileURL(repo).href,
        branch: 'main',
        'expected-commit': commits.two!,
        destination: 'src',
      }),
      { workspace },
    );
    expect(result.commit).toBe(commits.two);
    expect(await readFile(join(workspace, 'src', 'hello.c'), 'utf8')).toBe('two\n');
    expect(await readdir(workspace)).toEqual(['src']);
  });

  it('refuses an expected commit outside the branch, or not at its tip when it must be', async () => {
    const url = pathToFileURL(repo).href;
    await expect(
      runGitCheckoutStep(step({ repository: url, branch: 'main', 'expected-commit': commits.unrelated! }), {
        workspace,
      }),
    ).rejects.toThrow(/not in its history/);
    await expect(
      runGitCheckoutStep(
        step({
          repository: url,
          branch: 'main',
          'expected-commit': commits.two!,
          'expected-commit-is-branch-tip': 'true',
        }),
        { workspace },
      ),
    ).rejects.toThrow(/must equal expected-commit/);
    await expect(
      runGitCheckoutStep(
        step({ repository: url, branch: 'main', 'expected-commit': commits.two!, depth: '1' }),
        {
          workspace,
        },
      ),
    ).rejects.toThrow(/set depth to -1/);
    expect(await readdir(workspace)).toEqual([]);
  });

  it('clones shallow by default', async () => {
    await runGitCheckoutStep(step({ repository: pathToFileURL(repo).href, branch: 'main' }), { workspace });
    const count = execFileSync('git', ['-C', workspace, 'rev-list', '--count', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    expect(count).toBe('1');
  });

  it('checks out only the sparse paths (cone mode), keeping top-level files', async () => {
    await runGitCheckoutStep(
      step({
        repository: pathToFileURL(repo).href,
        branch: 'tree',
        'expected-commit': commits.tree!,
        'sparse-paths': 'a',
      }),
      { workspace },
    );
    expect(await readFile(join(workspace, 'a', 'x.txt'), 'utf8')).toBe('x\n');
    expect(await readFile(join(workspace, 'hello.c'), 'utf8')).toBe('one\n');
    expect((await readdir(workspace)).sort()).toEqual(['.git', 'a', 'hello.c']);
  });

  it('applies cherry-picks from another branch at the recipe commit date', async () => {
    const result = await runGitCheckoutStep(
      step({
        repository: pathToFileURL(repo).href,
        tag: 'v2',
        'expected-commit': commits.two!,
        'cherry-picks': `# upstream fix\nfixes/${commits.fix}: fix the thing\n\n`,
      }),
      { workspace },
      { sourceDateEpoch: '1710000000' },
    );
    expect(await readFile(join(workspace, 'fix.txt'), 'utf8')).toBe('fixed\n');
    expect(result.messages.join('\n')).toContain(`cherry-picked ${commits.fix}`);
    const log = execFileSync('git', ['-C', workspace, 'log', '-1', '--format=%ct %B'], { encoding: 'utf8' });
    expect(log).toContain('1710000000 the fix');
    expect(log).toContain(`(cherry picked from commit ${commits.fix})`);
  });

  it('rejects bad inputs before cloning', async () => {
    await expect(
      runGitCheckoutStep(step({ repository: repo, tag: 'v1', branch: 'main' }), { workspace }),
    ).rejects.toThrow(/both branch \(main\) and tag \(v1\)/);
    await expect(
      runGitCheckoutStep(step({ repository: repo, tag: 'v1', 'expected-commit': 'abc' }), { workspace }),
    ).rejects.toThrow(/expected-commit: "abc" is not 40 hex characters/);
    await expect(
      runGitCheckoutStep(step({ repository: repo, tag: 'v1', 'cherry-picks': 'deadbeef no colon' }), {
        workspace,
      }),
    ).rejects.toThrow(/cherry-picks line 1/);
    await expect(
      runGitCheckoutStep(step({ repository: repo, tag: 'v1', destination: '/etc' }), { workspace }),
    ).rejects.toThrow(/leaves the workspace/);
    expect(await readdir(workspace)).toEqual([]);
  });

  it('retries a failing clone with doubling waits, then fails naming the repository', async () => {
    const waits: number[] = [];
    const missing = join(root, 'missing');
    const err = await runGitCheckoutStep(
      step({
        repository: missing,
        tag: 'v1',
        'max-retries': '2',
        'initial-backoff': '3',
        'max-backoff': '5',
      }),
      { workspace },
      { sleep: async (ms) => void waits.push(ms) },
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'FETCH_FAILED')).toBe(true);
    expect((err as Error).message).toContain(`cannot clone ${missing}`);
    expect(waits).toEqual([3000, 5000]);
    expect(await readdir(workspace)).toEqual([]);
  });
});
