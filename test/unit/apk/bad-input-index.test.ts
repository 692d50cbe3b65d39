import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApkIndexText } from '../../../src/apk/index-text.js';
import { parseInstalledDb } from '../../../src/apk/installed-db.js';
import { LarderError } from '../../../src/core/index.js';

const BAD = join(import.meta.dirname, '../../fixtures/bad');

function errorOf(parse: (text: string, source: string) => unknown, file: string): LarderError {
  try {
    parse(readFileSync(join(BAD, file), 'utf8'), file);
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error(`${file} parsed without error`);
}

describe('bad index and installed-database inputs', () => {
  it('apkindex-missing-P.txt: record 2 has no P:', () => {
    const err = errorOf(parseApkIndexText, 'apkindex-missing-P.txt');
    expect(err.code).toBe('INDEX_INVALID');
    expect(err.message).toBe('apkindex-missing-P.txt: record 2 (line 11): missing P: (name)');
  });

  it('apkindex-bad-size.txt: S:abc', () => {
    const err = errorOf(parseApkIndexText, 'apkindex-bad-size.txt');
    expect(err.code).toBe('INDEX_INVALID');
    expect(err.message).toContain('line 5');
    expect(err.message).toContain('S: "abc" is not a decimal number');
  });

  it('installed-R-before-F.txt: R: before any F:', () => {
    const err = errorOf(parseInstalledDb, 'installed-R-before-F.txt');
    expect(err.code).toBe('INSTALLED_DB_INVALID');
    expect(err.message).toContain('installed-R-before-F.txt: record 1 (line 4)');
    expect(err.message).toContain('R: line before any F:');
  });
});
