/**
 * `larder docker convert` through the built CLI: the diff it prints (GNU patch applies it and
 * gives the golden text), --in-place (atomic, mode kept, nothing written on bad input), --json,
 * stdin, flagged packages on stderr, bad input and bad options.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { own, tempDir } from '../kit/paths.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('larder-convert-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const golden = (name: string, file: string): string => readFileSync(own('dockerfiles', name, file), 'utf8');

describe('larder docker convert', () => {
  it('prints a unified diff that patch turns into the converted Dockerfile; flags go to stderr', () => {
    copyFileSync(own('dockerfiles', 'debian', 'Dockerfile'), join(dir, 'Dockerfile'));
    const r = larder(['docker', 'convert'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('--- Dockerfile\n+++ Dockerfile (converted)\n@@ ')).toBe(true);
    expect(r.stderr).toBe(golden('debian', 'flags.txt'));
    expect(r.stderr).toContain('Dockerfile:15: no APK mapping for debian package "libfoo-dev"');
    writeFileSync(join(dir, 'patch.diff'), r.stdout);
    execFileSync('patch', [
      '-s',
      '--no-backup-if-mismatch',
      join(dir, 'Dockerfile'),
      join(dir, 'patch.diff'),
    ]);
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(golden('debian', 'Dockerfile.converted'));
    // Already converted: nothing to print.
    const again = larder(['docker', 'convert', 'Dockerfile'], { cwd: dir });
    expect(again).toMatchObject({ status: 0, stdout: '' });
  });

  it('--in-place writes the converted text atomically and keeps the file mode', () => {
    const file = join(dir, 'ubuntu.Dockerfile');
    copyFileSync(own('dockerfiles', 'ubuntu', 'Dockerfile'), file);
    chmodSync(file, 0o640);
    const r = larder(['docker', 'convert', '--in-place', file]);
    expect(r).toMatchObject({ status: 0, stdout: '' });
    expect(readFileSync(file, 'utf8')).toBe(golden('ubuntu', 'Dockerfile.converted'));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--json prints the converted text, the changes and the flags on one line', () => {
    const r = larder([
      'docker',
      'convert',
      '--json',
      '--org',
      'reg.example.com/team',
      own('dockerfiles', 'multi-stage', 'Dockerfile'),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.endsWith('\n') && r.stdout.trim().includes('\n')).toBe(false);
    const json = JSON.parse(r.stdout) as {
      changed: boolean;
      text: string;
      changes: Array<{ line: number; kind: string; action: string }>;
      flags: unknown[];
      packages: Array<{ from: string; to: string[] }>;
    };
    expect(json.changed).toBe(true);
    expect(json.text).toBe(
      golden('multi-stage', 'Dockerfile.converted').replaceAll('larder/', 'reg.example.com/team/'),
    );
    expect(json.changes.map((c) => `${c.line} ${c.kind} ${c.action}`)).toEqual([
      '3 FROM rewritten',
      '3 USER added',
      '5 RUN rewritten',
      '14 FROM rewritten',
      '14 USER added',
      '15 RUN rewritten',
    ]);
    expect(json.flags).toEqual([]);
    expect(json.packages.map((p) => p.from)).toEqual(['git', 'ca-certificates', 'ca-certificates', 'tini']);
  });

  it('reads stdin with -', () => {
    const r = larder(['docker', 'convert', '-'], {
      input: 'FROM alpine:3.19\nRUN apk add --update py-pip\n',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      '--- Dockerfile\n+++ Dockerfile (converted)\n@@ -1,2 +1,3 @@\n-FROM alpine:3.19\n-RUN apk add --update py-pip\n+FROM larder/wolfi-base:latest\n+USER root\n+RUN apk add --no-cache py3-pip\n',
    );
  });

  it('bad input: exit 2 with the file:line of the parser error, nothing written', () => {
    const file = join(dir, 'bad.Dockerfile');
    copyFileSync(own('dockerfiles', 'bad', 'unknown-instruction.Dockerfile'), file);
    const before = readFileSync(file, 'utf8');
    const r = larder(['docker', 'convert', '--in-place', file]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^larder: DOCKERFILE_INVALID: ${file}:3: `));
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('usage errors: a missing file, a bad --org, --in-place on stdin', () => {
    const missing = larder(['docker', 'convert', join(dir, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^larder: IO: .*nope: cannot read/);
    expect(
      larder(['docker', 'convert', '--org', 'bad org', own('dockerfiles', 'debian', 'Dockerfile')]),
    ).toMatchObject({
      status: 2,
      stdout: '',
    });
    expect(larder(['docker', 'convert', '--in-place', '-']).stderr).toBe(
      'larder: USAGE: --in-place needs a file, not stdin\n',
    );
  });
});
