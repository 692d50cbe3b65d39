import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseLockFile } from '../../../src/image/index.js';
import { own } from '../../kit/paths.js';
import { thrown } from './helpers.js';

/**
 * Each bad lock (test/fixtures/bad/lock-*) and what the LOCK_INVALID message must name. The
 * truncated one is `.txt` so that `biome check .` does not try to parse it.
 */
const CASES: readonly [file: string, ...named: string[]][] = [
  ['lock-not-json.txt', 'not JSON: line 15, column 8: '],
  ['lock-top-level-list.json', '(top level) = []: expected object'],
  ['lock-version-v2.json', 'version = "v2": is not a supported lock version'],
  ['lock-missing-contents.json', 'contents: missing'],
  ['lock-keyring-not-list.json', 'contents.keyring = {"name":"k"}: expected array'],
  ['lock-keyring-missing-url.json', 'contents.keyring[0].url: missing'],
  ['lock-config-checksum-md5.json', `config.checksum = "md5-1B2M2Y8AsgTpgAmY7PhCfg==": is not 'sha256-'`],
  ['lock-repository-missing-arch.json', 'contents.repositories[0].architecture: missing'],
  ['lock-package-unknown-key.json', 'contents.packages[0].sha256: unknown key'],
  ['lock-package-missing-url.json', 'contents.packages[0].url: missing'],
  [
    'lock-package-bad-version.json',
    'contents.packages[0].version = "1.0.0-r0-beta": is not a valid apk version',
  ],
  ['lock-package-oci-arch.json', 'contents.packages[0].architecture = "amd64"'],
  ['lock-package-number-name.json', 'contents.packages[0].name = 42: expected string'],
  ['lock-bad-range.json', `contents.packages[0].data.range = "bytes=1661": is not a byte range`],
  ['lock-range-backwards.json', `contents.packages[0].data.range = "bytes=2960-1661": is not a byte range`],
  [
    'lock-range-gap.json',
    'contents.packages[0].control.range = "bytes=650-1660": does not start at byte 647',
  ],
  [
    'lock-bad-sha256.json',
    `contents.packages[0].data.checksum = "sha256-zmiHBvaqKHsF8CxQ": is not 'sha256-'`,
  ],
  [
    'lock-sha1-as-data.json',
    `contents.packages[0].data.checksum = "sha1-1/HhSewwwOXgl0r0ffb0O0BRtYc=": is not 'sha256-'`,
  ],
  ['lock-signature-half-empty.json', `contents.packages[0].signature.range = "": is not a byte range`],
  [
    'lock-checksum-mismatch.json',
    `contents.packages[0].checksum = "Q1M3D5FSI+rv4Qe3oJqVtR1CvOVKE=": does not match control.checksum`,
  ],
  [
    'lock-checksum-not-q1.json',
    `contents.packages[0].checksum = "sha1-1/HhSewwwOXgl0r0ffb0O0BRtYc=": is not 'Q1'`,
  ],
];

describe('bad lock files (test/fixtures/bad/lock-*): LOCK_INVALID naming the JSON path', () => {
  it('every file in the corpus has a case', async () => {
    const files = (await readdir(own('bad'))).filter((f) => f.startsWith('lock-')).sort();
    expect(files).toEqual(CASES.map(([file]) => file).sort());
  });

  it.each(CASES)('%s', async (file, ...named) => {
    const text = await readFile(own('bad', file), 'utf8');
    const err = thrown(() => parseLockFile(text, file), 'LOCK_INVALID');
    expect(err.subject).toBe(file);
    for (const part of named) expect(err.message).toContain(part);
  });

  it('reports every problem of one file together', async () => {
    const text = (await readFile(own('bad', 'lock-range-gap.json'), 'utf8'))
      .replace('"1.0.0-r0"', '"1.0_foo"')
      .replace('"./packages/x86_64/APKINDEX.tar.gz"', '""');
    const err = thrown(() => parseLockFile(text, 'three.json'), 'LOCK_INVALID');
    expect(err.message.split('\n')).toEqual([
      'invalid lock file three.json (3 problems):',
      'three.json: contents.repositories[0].url = "": must not be empty',
      'three.json: contents.packages[0].version = "1.0_foo": is not a valid apk version',
      'three.json: contents.packages[0].control.range = "bytes=650-1660": does not start at byte 647',
    ]);
  });
});
