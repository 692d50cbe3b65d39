import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import {
  type AdvisoryIssue,
  checkAdvisoryDirectory,
  readAdvisoryDirectory,
} from '../../../../src/vuln/advisory/index.js';
import { own, tempDir } from '../../../kit/paths.js';

const doc = (pkg: string, id: string) =>
  [
    'schema-version: 2.0.2',
    '',
    'package:',
    `  name: ${pkg}`,
    '',
    'advisories:',
    `  - id: ${id}`,
    '    aliases:',
    '      - CVE-2024-10001',
    '    events:',
    '      - timestamp: 2024-01-02T00:00:00Z',
    '        type: fixed',
    '        data:',
    '          fixed-version: 1.2.3-r1',
    '',
  ].join('\n');

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('advisory directories', () => {
  it('reads only *.advisories.yaml files (not subdirectories), in byte order', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'b.advisories.yaml'), doc('b', 'CGA-2222-3333-4444'));
    await writeFile(join(dir, 'B.advisories.yaml'), doc('B', 'CGA-2222-3333-5555'));
    await writeFile(join(dir, 'a-b.advisories.yaml'), doc('a-b', 'CGA-2222-3333-6666'));
    await writeFile(join(dir, '.yam.yaml'), 'indent: 2\n');
    await writeFile(join(dir, 'README.md'), '# advisories\n');
    await mkdir(join(dir, 'sub.advisories.yaml'));
    const docs = await readAdvisoryDirectory(dir);
    expect(docs.map((d) => d.package.name)).toEqual(['B', 'a-b', 'b']);
    expect(docs.map((d) => d.file)).toEqual(['B', 'a-b', 'b'].map((n) => join(dir, `${n}.advisories.yaml`)));
  });

  it('an empty directory has no documents; a missing one is NOT_FOUND naming it', async () => {
    const dir = await tempDir();
    expect(await readAdvisoryDirectory(dir)).toEqual([]);
    const err = await thrown(readAdvisoryDirectory(join(dir, 'missing')));
    expect(isLarderError(err, 'NOT_FOUND')).toBe(true);
    expect((err as Error).message).toContain(join(dir, 'missing'));
  });

  it('an advisory id used in two files is a problem in the later file, at its id', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.advisories.yaml'), doc('a', 'CGA-2222-3333-4444'));
    await writeFile(join(dir, 'b.advisories.yaml'), doc('b', 'CGA-2222-3333-4444'));
    const checks = await checkAdvisoryDirectory(dir);
    expect(checks[0]?.issues).toEqual([]);
    expect(checks[0]?.document?.package.name).toBe('a');
    expect(checks[1]?.document).toBeUndefined();
    expect(checks[1]?.issues).toEqual([
      {
        file: join(dir, 'b.advisories.yaml'),
        line: 7,
        column: 9,
        path: 'advisories[0].id',
        message: `duplicate advisory id CGA-2222-3333-4444 (also in ${join(dir, 'a.advisories.yaml')})`,
      },
    ]);
  });

  it('the same alias in two packages is fine (each package has its own CGA id)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.advisories.yaml'), doc('a', 'CGA-2222-3333-4444'));
    await writeFile(join(dir, 'b.advisories.yaml'), doc('b', 'CGA-2222-3333-5555'));
    expect((await readAdvisoryDirectory(dir)).length).toBe(2);
  });

  it('one ADVISORY_INVALID error lists the problems of every file, sorted, as FILE:LINE:COL lines', async () => {
    const dir = await tempDir();
    for (const name of ['unknown-event-type', 'missing-epoch', 'bad-id'])
      await copyFile(
        own('advisories', 'bad', `${name}.advisories.yaml`),
        join(dir, `${name}.advisories.yaml`),
      );
    await writeFile(join(dir, 'ok.advisories.yaml'), doc('ok', 'CGA-2222-3333-9999'));
    const err = await thrown(readAdvisoryDirectory(dir));
    expect(isLarderError(err, 'ADVISORY_INVALID')).toBe(true);
    const lines = (err as Error).message.split('\n');
    expect(lines[0]).toBe(`invalid advisories in ${dir} (3 problems):`);
    expect(lines.slice(1)).toEqual([
      `${join(dir, 'bad-id.advisories.yaml')}:7:9: advisories[0].id: 'CGA-abcd-efgh-ijkl' is not a CGA id (CGA-xxxx-xxxx-xxxx)`,
      `${join(dir, 'missing-epoch.advisories.yaml')}:14:26: advisories[0].events[0].data.fixed-version: fixed-version '1.2.3' must be a full version with its epoch (-rN)`,
      expect.stringMatching(
        /unknown-event-type\.advisories\.yaml:16:15: advisories\[0\]\.events\[1\]\.type: unknown event type 'fixed-soon'/,
      ),
    ]);
    expect(((err as Error).cause as AdvisoryIssue[]).length).toBe(3);
  });
});
