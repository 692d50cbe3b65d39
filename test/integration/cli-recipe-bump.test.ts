import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { tempDir } from '../kit/paths.js';

// `larder recipe bump` through the built CLI, with a file:// tarball named by the version.
let dir: string;
const sub = (name: string): string => ['$', '{{', name, '}}'].join('');

const recipeText = (sum: string) =>
  [
    'package:',
    '  name: hello',
    '  version: 1.0.0',
    '  epoch: 2 # rebuilt twice',
    'pipeline:',
    '  # the upstream tarball',
    '  - uses: fetch',
    '    with:',
    `      uri: file://${dir}/hello-${sub('package.version')}.tar.gz`,
    `      expected-sha256: ${sum}`,
    '',
  ].join('\n');

beforeAll(async () => {
  dir = await tempDir('larder-cli-bump-');
  await writeFile(join(dir, 'hello-1.1.0.tar.gz'), 'new source');
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('larder recipe bump', () => {
  it('rewrites the version, epoch and checksum in place and prints each change', async () => {
    const file = join(dir, 'hello.yaml');
    await writeFile(file, recipeText('f'.repeat(64)));
    const r = larder(['recipe', 'bump', file, '1.1.0', '--state-dir', join(dir, 'state')]);
    expect(r.status, r.stderr).toBe(0);
    const sum = createHash('sha256').update('new source').digest('hex');
    expect(await readFile(file, 'utf8')).toBe(
      recipeText(sum).replace('version: 1.0.0', 'version: 1.1.0').replace('epoch: 2', 'epoch: 0'),
    );
    expect(r.stdout).toBe(
      [
        `${file}: package.version: 1.0.0 -> 1.1.0`,
        `${file}: package.epoch: 2 -> 0`,
        `${file}: fetch file://${dir}/hello-1.1.0.tar.gz: expected-sha256 ${sum}`,
        '',
      ].join('\n'),
    );
  });

  it('a missing source fails naming the recipe, leaving it byte-identical', async () => {
    const file = join(dir, 'missing.yaml');
    const text = recipeText('f'.repeat(64));
    await writeFile(file, text);
    const r = larder(['recipe', 'bump', file, '2.0.0', '--state-dir', join(dir, 'state')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`${file}: fetch:`);
    expect(r.stderr).toContain('hello-2.0.0.tar.gz');
    expect(await readFile(file, 'utf8')).toBe(text);
  });
});
