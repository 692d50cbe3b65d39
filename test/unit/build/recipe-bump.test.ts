import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bumpRecipe } from '../../../src/build/bump/index.js';
import { hostBuildArch, pipelineLibrary } from '../../../src/build/index.js';
import { createFetcher } from '../../../src/repo/index.js';
import { type FakeHttpServer, startFakeHttpServer } from '../../kit/fake-http-server.js';
import { own, tempDir } from '../../kit/paths.js';

// `bumpRecipe` on a recipe fixture of ours: a versioned tarball over HTTP, a fixed file:// one,
// a git-checkout of a local repository tagged v<version>, a subpackage fetch and a checkout of
// an unreadable repository whose literal tag holds the version.
let dir: string;
let server: FakeHttpServer;
let fetcher: ReturnType<typeof createFetcher>;
let tagged: string;
let original: string;

const sha = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

async function recipeCopy(name: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, original);
  return file;
}

const bump = (recipe: string, version: string) =>
  bumpRecipe({ recipe, version, fetcher, library: pipelineLibrary([]), arch: hostBuildArch() });

beforeAll(async () => {
  dir = await tempDir('larder-bump-');
  server = await startFakeHttpServer({ dir });
  fetcher = createFetcher({ stateDir: join(dir, 'state') });
  await writeFile(join(dir, 'hello-1.2.4.tar.gz'), 'hello 1.2.4 source');
  await writeFile(join(dir, 'docs-1.2.4.tar.gz'), 'docs 1.2.4');
  await writeFile(join(dir, 'extras.tar.gz'), 'extras');
  const upstream = join(dir, 'upstream.git');
  execFileSync('git', ['init', '-q', upstream]);
  gitIn(upstream, 'commit', '-q', '--allow-empty', '-m', 'one');
  gitIn(upstream, 'tag', '-a', '-m', 'release', 'v1.2.4');
  gitIn(upstream, 'commit', '-q', '--allow-empty', '-m', 'two');
  tagged = gitIn(upstream, 'rev-parse', 'v1.2.4^{commit}');
  original = (await readFile(own('recipes', 'bump', 'hello.yaml'), 'utf8'))
    .replaceAll('__SERVER__', server.url)
    .replaceAll('__DIR__', dir);
});
afterAll(async () => {
  await fetcher?.close();
  await server?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('bumpRecipe', () => {
  it('sets the version, resets the epoch and refreshes what the version changed, keeping everything else', async () => {
    const file = await recipeCopy('ok.yaml');
    const result = await bump(file, '1.2.4');
    const expected = original
      .replace('version: "1.2.3" # quoted on purpose', 'version: "1.2.4" # quoted on purpose')
      .replace('epoch: 4', 'epoch: 0')
      .replace(/0{64} # old/, `${sha('sha256', 'hello 1.2.4 source')} # old`)
      .replace('1111111111111111111111111111111111111111', tagged)
      .replace('b'.repeat(128), sha('sha512', 'docs 1.2.4'))
      .replace('tag: docs-1.2.3', 'tag: docs-1.2.4')
      .replace('          expected-commit: 2222222222222222222222222222222222222222\n', '');
    expect(await readFile(file, 'utf8')).toBe(expected);
    expect(expected).toContain(`expected-sha512: '${'a'.repeat(128)}'`);
    expect(result.previousVersion).toBe('1.2.3');
    expect(result.changes).toEqual([
      'package.version: 1.2.3 -> 1.2.4',
      'package.epoch: 4 -> 0',
      'git-checkout tag: docs-1.2.3 -> docs-1.2.4',
      `fetch ${server.url}/hello-1.2.4.tar.gz: expected-sha256 ${sha('sha256', 'hello 1.2.4 source')}`,
      `git-checkout ${join(dir, 'upstream.git')}: expected-commit ${tagged}`,
      `fetch file://${dir}/docs-1.2.4.tar.gz: expected-sha512 ${sha('sha512', 'docs 1.2.4')}`,
      `git-checkout ${join(dir, 'missing.git')}: expected-commit removed (tag docs-1.2.4 not readable)`,
    ]);
  });

  it.each([
    ['1.2.3', 'USAGE', /ok-same\.yaml: package\.version is already 1\.2\.3/],
    ['1.2.4-r1', 'VERSION_INVALID', /invalid version '1\.2\.4-r1'/],
    ['1.2.3_foo', 'VERSION_INVALID', /bad-version\.yaml: invalid version '1\.2\.3_foo': unknown suffix/],
    ['', 'VERSION_INVALID', /invalid version '': empty/],
    ['9.9.9', 'FETCH_NOT_FOUND', /unreachable\.yaml: fetch: .*hello-9\.9\.9\.tar\.gz/],
  ])(
    'version %j fails with %s naming the file, which stays byte-identical',
    async (version, code, message) => {
      const name = { '1.2.3': 'ok-same', '9.9.9': 'unreachable' }[version] ?? 'bad-version';
      const file = await recipeCopy(`${name}.yaml`);
      await expect(bump(file, version)).rejects.toMatchObject({
        code,
        message: expect.stringMatching(message),
      });
      expect(await readFile(file, 'utf8')).toBe(original);
    },
  );

  it('a plain version YAML would read as a number is written quoted; a plain one stays plain', async () => {
    const file = join(dir, 'plain.yaml');
    const text = 'package:\n  name: hello\n  version: 1.9.1  # plain\n  epoch: 0\n';
    await writeFile(file, text);
    await bump(file, '2.0');
    expect(await readFile(file, 'utf8')).toBe(text.replace('1.9.1', '"2.0"'));
    const result = await bump(file, '2.0.1_rc1');
    expect(await readFile(file, 'utf8')).toBe(text.replace('1.9.1', '"2.0.1_rc1"'));
    expect(result.changes).toEqual(['package.version: 2.0 -> 2.0.1_rc1']);
    await writeFile(file, text);
    await bump(file, '1.10.0');
    expect(await readFile(file, 'utf8')).toBe(text.replace('1.9.1', '1.10.0'));
  });

  it('a broken recipe is RECIPE_INVALID and is left alone', async () => {
    const file = join(dir, 'broken.yaml');
    const text = 'package:\n  name: hello\n  version: [1\n';
    await writeFile(file, text);
    await expect(bump(file, '2.0')).rejects.toMatchObject({ code: 'RECIPE_INVALID' });
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
