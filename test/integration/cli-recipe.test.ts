import { describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';

const GREETER = 'test/fixtures/recipes/greeter.yaml';
const PIPELINES = ['--pipeline-dir', 'test/fixtures/recipes/pipelines'];
const BAD = 'test/fixtures/bad/recipes/unknown-key.yaml';

describe('larder recipe plan / lint', () => {
  it('prints the plan of one recipe as JSON', () => {
    const r = larder(['recipe', 'plan', GREETER, ...PIPELINES, '--json', '--arch', 'aarch64']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.arch).toBe('aarch64');
    expect(plan.packages.map((p: { name: string }) => p.name)).toEqual([
      'greeter',
      'greeter-de',
      'greeter-en',
      'greeter-fr',
      'greeter-dev',
    ]);
  });

  it('prints a readable plan of one recipe without --json', () => {
    const r = larder(['recipe', 'plan', GREETER, ...PIPELINES, '--arch', 'x86_64']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('greeter-1.2.3_p4-r2 (x86_64)');
    expect(r.stdout).toContain('fetch fetch (/home/build)');
  });

  it('prints OK/FAIL lines for several recipes and exits 1 when one fails', () => {
    const r = larder(['recipe', 'plan', GREETER, BAD, ...PIPELINES]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `OK ${GREETER}`,
      `FAIL ${BAD}: ${BAD}:5:3: package.licence: unknown key 'licence'; ${BAD}:8:5: pipeline[0].shell: unknown key 'shell'`,
      '',
    ]);
  });

  it('prints JSON lines with --json for several recipes', () => {
    const r = larder(['recipe', 'plan', GREETER, BAD, ...PIPELINES, '--json']);
    expect(r.status).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ file: GREETER, ok: true });
    expect(lines[1]).toMatchObject({ file: BAD, ok: false });
    expect(lines[1].error).toContain("unknown key 'licence'");
  });

  it('an unknown --arch is a usage error', () => {
    const r = larder(['recipe', 'plan', GREETER, ...PIPELINES, '--arch', 'sparc']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown --arch 'sparc' (one of x86_64, aarch64,");
  });

  it('lint: exit 0 only when every recipe compiles', () => {
    expect(larder(['recipe', 'lint', GREETER, ...PIPELINES])).toMatchObject({
      status: 0,
      stdout: `OK ${GREETER}\n`,
    });
    const missing = larder(['recipe', 'lint', GREETER]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain("unknown pipeline 'local/wrap'");
    expect(larder(['recipe', 'lint', 'no-such.yaml']).status).toBe(2);
    const unreadable = larder([
      'recipe',
      'lint',
      GREETER,
      'no-such-1.yaml',
      'no-such-2.yaml',
      BAD,
      ...PIPELINES,
    ]);
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toBe('');
    expect(unreadable.stdout.split('\n').map((l) => l.split(' ')[0])).toEqual([
      'OK',
      'FAIL',
      'FAIL',
      'FAIL',
      '',
    ]);
    expect(unreadable.stdout).toContain('FAIL no-such-1.yaml: cannot read recipe no-such-1.yaml: ENOENT');
  });

  it('one failing recipe: the error names every problem with its place, exit 1', () => {
    const r = larder(['recipe', 'plan', BAD, '--json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${BAD}:5:3: package.licence: unknown key 'licence'`);
    expect(r.stderr).toContain(`${BAD}:8:5: pipeline[0].shell: unknown key 'shell'`);
  });
});
