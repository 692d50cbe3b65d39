import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LarderError, type LarderErrorCode } from '../../../../src/core/index.js';
import {
  catalogTarget,
  javaPackages,
  readCargoAuditData,
  readElf,
  readGoBuildInfo,
} from '../../../../src/vuln/catalog/index.js';
import { own } from '../../../kit/paths.js';

// test/fixtures/catalog/bad/README.md lists what is wrong with each file.
const CASES: ReadonlyArray<
  [file: string, read: (bytes: Buffer, path: string) => unknown, code: LarderErrorCode, message: RegExp]
> = [
  ['elf-truncated', (b, p) => readElf(b, p), 'BINARY_INVALID', /section header table .* ends past the file/],
  ['elf-bad-class', (b, p) => readGoBuildInfo(b, p), 'BINARY_INVALID', /unknown class 3/],
  ['go-buildinfo-truncated', (b, p) => readGoBuildInfo(b, p), 'BINARY_INVALID', /Go build info is truncated/],
  [
    'go-modinfo-bad-replace',
    (b, p) => readGoBuildInfo(b, p),
    'BINARY_INVALID',
    /line 3: expected 3 columns for a replacement/,
  ],
  ['rust-dep-v0-not-zlib', (b, p) => readCargoAuditData(b, p), 'BINARY_INVALID', /not a valid zlib stream/],
  ['rust-dep-v0-no-packages', (b, p) => readCargoAuditData(b, p), 'BINARY_INVALID', /no "packages" array/],
  ['jar-truncated.jar', (b, p) => javaPackages(b, p), 'ZIP_INVALID', /./],
  ['jar-bad-crc.jar', (b, p) => javaPackages(b, p), 'ZIP_INVALID', /./],
];

const TARGETS: ReadonlyArray<[file: string, code: LarderErrorCode, message: RegExp]> = [
  ['bad.spdx.json', 'SBOM_INVALID', /not valid JSON at line 5:3/],
  ['bad-purl.cdx.json', 'SBOM_INVALID', /components\[0\]: purl .* qualifier without a value/],
  ['not-an-sbom.json', 'TARGET_INVALID', /neither an SPDX document/],
  ['installed-r-before-f', 'TARGET_INVALID', /record 1 \(line 3\)/],
];

async function failure(run: () => unknown): Promise<LarderError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw new Error(`not a LarderError: ${String(err)}`, { cause: err });
  }
  throw new Error('did not fail');
}

describe('broken inputs (test/fixtures/catalog/bad)', () => {
  for (const [file, read, code, message] of CASES) {
    it(file, async () => {
      const path = own('catalog', 'bad', file);
      const err = await failure(async () => read(await readFile(path), path));
      expect(err.code).toBe(code);
      expect(err.message).toContain(path);
      expect(err.message).toMatch(message);
    });
  }
  for (const [file, code, message] of TARGETS) {
    it(`${file} as a target`, async () => {
      const path = own('catalog', 'bad', file);
      const err = await failure(() => catalogTarget(path));
      expect(err.code).toBe(code);
      expect(err.message).toContain(path);
      expect(err.message).toMatch(message);
    });
  }
});
