import { execFileSync } from 'node:child_process';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { type DockerContext, prepareDockerContext } from '../kit/dockerfile-context.js';
import { tempDir } from '../kit/paths.js';
import { type LocalRegistry, startLocalRegistry } from '../kit/registry.js';

// Bad Dockerfiles and contexts (issue 9 §4): each fails with exit 2 and a message naming
// `Dockerfile:LINE`, pushes nothing (the registry has no such repository) and leaves no output
// directory. Each case is a copy of the proof context with its own Dockerfile.
let dir: string;
let ctx: DockerContext;
let registry: LocalRegistry;

beforeAll(async () => {
  dir = await tempDir('larder-docker-errors-');
  ctx = await prepareDockerContext(dir);
  registry = await startLocalRegistry();
}, 180_000);

afterAll(async () => {
  await registry?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Builds `dockerfile` in a copy of the context with `-o` and `--push`; returns the result. */
async function build(name: string, dockerfile: string) {
  const context = join(dir, `context-${name}`);
  execFileSync('cp', ['-a', ctx.context, context]);
  await writeFile(join(context, 'Dockerfile'), dockerfile);
  const r = larder(
    ['docker', 'build', '-o', `out-${name}`, '--push', '-t', `${registry.host}/errors/${name}:1`].concat([
      '--state-dir',
      join(dir, 'state'),
      context,
    ]),
    { cwd: dir },
  );
  expect(r.stdout).toBe('');
  expect(r.status).toBe(2);
  expect((await readdir(dir)).filter((n) => n.startsWith('out-') || n.startsWith('.larder-'))).toEqual([]);
  const tags = await fetch(`http://${registry.host}/v2/errors/${name}/tags/list`);
  expect(tags.status).toBe(404);
  return r;
}

/** The one error line: `larder: CODE: Dockerfile:LINE: …`. */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.startsWith('larder: '));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const BUILD = 'FROM larder:images/build.yaml AS build\n';

describe('larder docker build: errors name Dockerfile:LINE, push nothing, write nothing', () => {
  it('an unknown instruction', async () => {
    const r = await build('unknown', `${BUILD}RUN echo fine\n\nFROBNICATE --hard /x\n`);
    expect(errorLine(r.stderr)).toMatch(/^larder: DOCKERFILE_INVALID: (\S*\/)?Dockerfile:4: .*FROBNICATE/i);
  });

  it('COPY --from a stage that does not exist (and is no image either)', async () => {
    const r = await build(
      'no-stage',
      `${BUILD}RUN mkdir -p /out && echo x > /out/app\n\nFROM larder:images/runtime.yaml\nCOPY --from=bulid /out/app /usr/local/bin/app\n`,
    );
    expect(errorLine(r.stderr)).toMatch(
      /^larder: DOCKERFILE_INVALID: (\S*\/)?Dockerfile:5: .*bulid.*no stage/,
    );
  });

  it('COPY of a path outside the context', async () => {
    const r = await build('outside', `${BUILD}COPY ../outside.txt /etc/\n`);
    expect(errorLine(r.stderr)).toMatch(
      /^larder: DOCKERFILE_(INVALID|STEP_FAILED): (\S*\/)?Dockerfile:2: .*\.\.\/outside\.txt.*outside the build context/,
    );
  });

  it('COPY of a file missing from the context (or kept out by .dockerignore)', async () => {
    const missing = await build('missing', `${BUILD}WORKDIR /work\nCOPY src/ missing.txt ./\n`);
    expect(errorLine(missing.stderr)).toMatch(
      /^larder: DOCKERFILE_(INVALID|STEP_FAILED): (\S*\/)?Dockerfile:3: .*missing\.txt.*no such file/,
    );
    const ignored = await build('ignored', `${BUILD}COPY secret.env /etc/\n`);
    expect(errorLine(ignored.stderr)).toMatch(
      /^larder: DOCKERFILE_(INVALID|STEP_FAILED): (\S*\/)?Dockerfile:2: .*secret\.env.*no such file/,
    );
  });

  it('a RUN that exits 3: DOCKERFILE_STEP_FAILED with the status, its output shown', async () => {
    const r = await build(
      'run-fails',
      `${BUILD}RUN echo first step\nRUN echo "about to fail" >&2 \\\n && exit 3\nRUN echo never\n`,
    );
    const line = errorLine(r.stderr);
    expect(line).toMatch(/^larder: DOCKERFILE_STEP_FAILED: (\S*\/)?Dockerfile:3: /);
    expect(line).toMatch(/exit (status|code) 3\b/);
    expect(r.stderr).toContain('about to fail');
    expect(r.stderr).not.toContain('never');
  });
});
