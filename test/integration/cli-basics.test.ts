import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../../src/cli/package-version.js';
import { larder } from '../kit/cli.js';
import { CLI, ROOT, shared } from '../kit/paths.js';

const COMMANDS = [
  [],
  ['version'],
  ['version', 'compare'],
  ['version', 'check'],
  ['keygen'],
  ['apk'],
  ['apk', 'create'],
  ['apk', 'info'],
  ['apk', 'contents'],
  ['apk', 'verify'],
  ['index'],
  ['resolve'],
  ['lock'],
  ['install'],
  ['image'],
  ['image', 'build'],
  ['image', 'publish'],
  ['image', 'inspect'],
];

describe('CLI conventions', () => {
  it('the version constant matches package.json', async () => {
    expect(JSON.parse(await readFile(`${ROOT}/package.json`, 'utf8')).version).toBe(PACKAGE_VERSION);
  });

  for (const cmd of COMMANDS) {
    it(`larder ${cmd.join(' ')} --help / --version / --state-dir / --debug`, () => {
      const help = larder([...cmd, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/Usage: larder/);
      expect(help.stdout).toContain('--state-dir');
      expect(help.stdout).toContain('--debug');
      if (cmd.join(' ') !== 'apk create')
        expect(larder([...cmd, '--version'])).toMatchObject({
          status: 0,
          stdout: `larder ${PACKAGE_VERSION}\n`,
        });
    });
  }

  it('usage errors print one `larder: USAGE:` line and exit 2', () => {
    const r = larder(['apk', 'info', '--no-such-option', 'x']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^larder: USAGE: unknown option '--no-such-option'\n$/);
    expect(larder(['frobnicate']).status).toBe(2);
  });
});

describe('larder version', () => {
  it('compare prints <, = or >', () => {
    expect(larder(['version', 'compare', '1.0', '1.0.1']).stdout).toBe('<\n');
    expect(larder(['version', 'compare', '1.0-r1', '1.0-r1']).stdout).toBe('=\n');
    expect(larder(['version', 'compare', '1.0_p1', '1.0-r1']).stdout).toBe('>\n');
  });

  it('compare --batch agrees with all 733 apk-tools vectors, in input order', async () => {
    const lines = (await readFile(shared('version', 'apk-tools-2.14-version.data'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    const vectors = lines.map((l) => l.trim().split(/\s+/) as [string, string, string]);
    expect(vectors.length).toBe(733);
    const r = larder(['version', 'compare', '--batch'], {
      input: vectors.map(([a, , b]) => `${a} ${b}`).join('\n'),
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(vectors.map(([, op]) => op));
  });

  it('check exits 0 for valid versions and 1 listing the invalid ones', () => {
    expect(larder(['version', 'check', '1.0', '2.3.4_rc1-r2', '1.0a_p2'])).toMatchObject({
      status: 0,
      stdout: '',
    });
    expect(larder(['version', 'check', '1.0', '1.0A', '1.0-1'])).toMatchObject({
      status: 1,
      stdout: '1.0A\n1.0-1\n',
    });
  });
});

describe('output to a closed pipe', () => {
  it('stops quietly when the reader goes away (larder ... | head)', () => {
    const input = '1.0 2.0\n'.repeat(200_000);
    const r = spawnSync('bash', ['-c', `node '${CLI}' version compare --batch | head -1`], {
      input,
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('<\n');
    expect(r.stderr).toBe('');
  });
});
