import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';

// `larder init` and `larder workspace check` through the built CLI.
let work: string;
let ws: string;

beforeAll(async () => {
  work = await tempDir('larder-cli-init-');
  ws = join(work, 'factory');
  const r = larder(['init', ws]);
  expect(r.status, r.stderr).toBe(0);
});
afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('larder init', () => {
  it('prints the workspace path on stdout, the files written and what to run next on stderr', async () => {
    const r = larder(['init', join(work, 'second')], { env: { LARDER_QUIET: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${join(work, 'second')}\n`);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('  larder.yaml');
    expect(lines).toContain('  keys/larder.rsa');
    expect(lines).toContain('  keys/cosign.key');
    expect(lines).toContain('  recipes/libgreet/greet.c');
    expect(lines.at(-1)).toBe(`next: larder workspace check ${join(work, 'second')}`);
    expect(larder(['init', join(work, 'third')]).stderr).toBe('');
  });

  it('refuses a non-empty directory with exit 2 and writes nothing', async () => {
    const dir = join(work, 'taken');
    await mkdir(dir);
    await writeFile(join(dir, 'notes'), 'mine');
    const r = larder(['init', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/taken is not empty: larder init only creates a new workspace/);
    expect(r.stdout).toBe('');
  });
});

describe('larder workspace check', () => {
  it('exits 0 on a fresh init and prints the summary', () => {
    const r = larder(['workspace', 'check', ws]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        `workspace ${ws}`,
        'recipes (4):',
        '  base-layout 1.0.0-r0 [x86_64]  recipes/base-layout.yaml',
        '  greet 1.0.0-r0 [x86_64]  recipes/greet.yaml',
        '  host-libc 1.0.0-r0 [x86_64]  recipes/host-libc.yaml',
        '  libgreet 1.0.0-r0 [x86_64]  recipes/libgreet.yaml',
        'images (1):',
        '  greet not published  images/greet.yaml',
        'advisory files (0):',
        'no problems',
        '',
      ].join('\n'),
    );
  });

  it('--json gives the loaded workspace and its problems on one line', () => {
    const r = larder(['workspace', 'check', '--json', ws]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out.root).toBe(ws);
    expect(out.problems).toEqual([]);
    expect(out.recipes.map((x: { name: string }) => x.name)).toEqual([
      'base-layout',
      'greet',
      'host-libc',
      'libgreet',
    ]);
    expect(out.config.repository.signingKey).toBe(join(ws, 'keys', 'larder.rsa'));
  });

  it('exits 1 listing each broken recipe, image and advisory file at file:line:col', async () => {
    const dir = join(work, 'broken');
    expect(larder(['init', dir]).status).toBe(0);
    const yaml = join(dir, 'larder.yaml');
    const text = await readFile(yaml, 'utf8');
    await writeFile(
      yaml,
      text.replace(
        '  attest: true',
        '  attest: true\n  publish:\n    greet: [127.0.0.1:5000/larder/greet:latest]',
      ),
    );
    await writeFile(join(dir, 'recipes', 'bad.yaml'), 'package:\n  name: bad\n  version: 1\n  colour: red\n');
    await writeFile(join(dir, 'images', 'odd.yaml'), 'contents:\n  packages: hello\n');
    await writeFile(
      join(dir, 'advisories', 'greet.advisories.yaml'),
      'schema-version: 2.0.2\npackage:\n  nam: greet\n',
    );
    const r = larder(['workspace', 'check', dir]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('  bad PROBLEM  recipes/bad.yaml');
    expect(r.stdout).toContain('  greet -> 127.0.0.1:5000/larder/greet:latest  images/greet.yaml');
    expect(r.stdout).toContain('  odd PROBLEM  images/odd.yaml');
    expect(r.stdout).toContain('  advisories/greet.advisories.yaml');
    expect(r.stdout).toMatch(/^problems \(5\):$/m);
    expect(r.stdout).toMatch(/recipes\/bad\.yaml:4:3: package\.colour: unknown key 'colour'/);
    expect(r.stdout).toMatch(/images\/odd\.yaml:2:13: contents\.packages: expected a list/);
    expect(r.stdout).toMatch(/^advisories\/greet\.advisories\.yaml:3:3: /m);
  });

  it('exits 2 on a broken larder.yaml, every problem placed', async () => {
    const dir = join(work, 'badconfig');
    expect(larder(['init', dir]).status).toBe(0);
    await writeFile(
      join(dir, 'larder.yaml'),
      'server: { public-reads: maybe }\nrepo: {}\nschedules: { rescan: 6 hours }\n',
    );
    const r = larder(['workspace', 'check', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`invalid workspace configuration ${join(dir, 'larder.yaml')} (3 problems):`);
    expect(r.stderr).toContain(
      `${join(dir, 'larder.yaml')}:1:25: server.public-reads: expected a boolean, got the string 'maybe'`,
    );
    expect(r.stderr).toContain(`${join(dir, 'larder.yaml')}:2:1: repo: unknown key 'repo'`);
    expect(r.stderr).toContain(
      `${join(dir, 'larder.yaml')}:3:22: schedules.rescan: '6 hours' is not a duration`,
    );
  });

  it('exits 2 when DIR holds no larder.yaml', () => {
    const r = larder(['workspace', 'check', work]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/larder\.yaml: no such file/);
  });
});
