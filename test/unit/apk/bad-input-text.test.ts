import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDependency } from '../../../src/apk/dependency.js';
import { parsePkgInfo } from '../../../src/apk/pkginfo.js';
import { assertValidVersion, isValidVersion } from '../../../src/apk/version.js';
import { isLarderError, type LarderErrorCode } from '../../../src/core/index.js';

const BAD = new URL('../../fixtures/bad/', import.meta.url);
const read = (name: string): string => readFileSync(fileURLToPath(new URL(name, BAD)), 'utf8');
const lines = (name: string): string[] =>
  read(name)
    .split('\n')
    .filter((line) => line !== '');

/** Runs `fn` and returns what it threw (undefined when it did not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Lists the inputs that were not rejected with `code` and a message naming `named`. */
function misses(
  inputs: string[],
  code: LarderErrorCode,
  run: (input: string) => unknown,
  named = (s: string) => s,
) {
  return inputs.filter((input) => {
    const err = thrown(() => run(input));
    return !isLarderError(err, code) || !err.message.includes(`'${named(input)}'`);
  });
}

describe('bad text inputs (test/fixtures/bad)', () => {
  it('invalid-versions.txt: every line is rejected with VERSION_INVALID naming the value', () => {
    const versions = lines('invalid-versions.txt');
    expect(versions.length).toBeGreaterThanOrEqual(15);
    expect(versions.filter(isValidVersion)).toEqual([]);
    expect(misses(versions, 'VERSION_INVALID', (v) => assertValidVersion(v))).toEqual([]);
  });

  it('invalid-dependencies.txt: every line is rejected with DEPENDENCY_INVALID naming the string', () => {
    const deps = lines('invalid-dependencies.txt');
    expect(deps.length).toBeGreaterThanOrEqual(15);
    expect(misses(deps, 'DEPENDENCY_INVALID', parseDependency)).toEqual([]);
  });

  it.each([
    ['pkginfo-slash-name.PKGINFO', "field 'pkgname': value 'a/b'"],
    ['pkginfo-space-name.PKGINFO', "field 'pkgname': value 'hello world'"],
    ['pkginfo-leading-dash-name.PKGINFO', "field 'pkgname': value '-hello'"],
    ['pkginfo-bad-version.PKGINFO', "field 'pkgver': value '1.0a.1-r0'"],
  ])('%s is rejected with PKGINFO_INVALID', (file, named) => {
    const err = thrown(() => parsePkgInfo(read(file), file));
    expect(isLarderError(err, 'PKGINFO_INVALID')).toBe(true);
    expect((err as Error).message).toContain(`${file}: line `);
    expect((err as Error).message).toContain(named);
  });
});
