import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepLine } from '../../../src/build/sandbox/index.js';
import { LarderError } from '../../../src/core/index.js';
import { createFakeSandboxRunner } from '../../kit/fake-sandbox.js';
import { tempDir } from '../../kit/paths.js';

const CONTENTS = { repositories: [], keyring: [], packages: ['busybox'] };

describe('the fake sandbox', () => {
  it('runs steps as functions over the workspace, streams their lines and records the runs', async () => {
    const workspace = await tempDir('larder-fake-ws-');
    const runner = createFakeSandboxRunner({
      build: async ({ workdir, print, printErr, step }) => {
        await writeFile(join(workdir, 'out.txt'), step.env.GREETING ?? '');
        print('compiling');
        printErr('warning: x');
        return undefined;
      },
      fetch: ({ network, hostPath }) => (network && hostPath('/home/build/a').endsWith('/a') ? 0 : 9),
    });
    const sandbox = await runner.prepare({ workspace, contents: CONTENTS, arch: 'x86_64' });
    const lines: StepLine[] = [];
    const onLine = (l: StepLine) => lines.push(l);
    await sandbox.run({ name: 'fetch', script: 'wget', workdir: '', env: {} }, { onLine, network: true });
    const r = await sandbox.run(
      { name: 'build', script: 'make', workdir: 'src', env: { GREETING: 'hi' } },
      { onLine },
    );
    expect(r.status).toBe(0);
    expect(await readFile(join(workspace, 'src', 'out.txt'), 'utf8')).toBe('hi');
    expect(lines).toEqual([
      { step: 'build', stream: 'stdout', text: 'compiling' },
      { step: 'build', stream: 'stderr', text: 'warning: x' },
    ]);
    expect(runner.runs.map((x) => [x.step.name, x.network, x.status])).toEqual([
      ['fetch', true, 0],
      ['build', false, 0],
    ]);
    expect(runner.prepared[0]?.workspace).toBe(workspace);
    await sandbox.close();
  });

  it('fails as the real runners do: STEP_FAILED naming the step', async () => {
    const workspace = await tempDir('larder-fake-ws-');
    const runner = createFakeSandboxRunner({
      test: () => 2,
      boom: () => {
        throw new Error('kaput');
      },
    });
    const sandbox = await runner.prepare({ workspace, contents: CONTENTS, arch: 'x86_64' });
    const run = (name: string) =>
      sandbox.run({ name, script: '', workdir: '', env: {} }, { onLine: () => {} });
    await expect(run('test')).rejects.toThrow("build step 'test' failed with exit status 2");
    await expect(run('boom')).rejects.toThrow(/'boom'.*kaput/);
    await expect(run('missing')).rejects.toMatchObject({ code: 'STEP_FAILED', subject: 'missing' });
    await sandbox.close();
  });

  it('can stand for a host without namespaces', async () => {
    const why = new LarderError('SANDBOX_UNAVAILABLE', 'no user namespaces');
    const runner = createFakeSandboxRunner({}, { unavailable: why });
    await expect(runner.prepare({ workspace: '/nowhere', contents: CONTENTS, arch: 'x86_64' })).rejects.toBe(
      why,
    );
  });
});
