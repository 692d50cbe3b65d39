import { describe, expect, it } from 'vitest';
import { normalizePythonName, npmPackage, pythonPackage } from '../../../../src/vuln/catalog/index.js';
import { isNodeModulesManifest } from '../../../../src/vuln/catalog/npm/index.js';
import { parsePythonMetadata } from '../../../../src/vuln/catalog/python/index.js';

describe('Python METADATA / PKG-INFO', () => {
  const METADATA = [
    'Metadata-Version: 2.1',
    'Name: Foo_Bar.baz',
    'Version: 2.31.0',
    'Summary: a package',
    'License: Apache 2.0 with',
    '        a long continuation',
    'License-Expression: Apache-2.0',
    'Requires-Dist: idna (<4,>=2.5)',
    'Requires-Dist: certifi',
    '',
    'Name: body-is-ignored',
  ].join('\n');

  it('headers up to the first blank line, continuations joined, repeated keys kept', () => {
    const fields = parsePythonMetadata(METADATA);
    expect(fields.get('name')).toEqual(['Foo_Bar.baz']);
    expect(fields.get('license')).toEqual(['Apache 2.0 with\na long continuation']);
    expect(fields.get('requires-dist')).toEqual(['idna (<4,>=2.5)', 'certifi']);
  });

  it('PEP 503 names and purls; License-Expression first', () => {
    expect(normalizePythonName('Foo_Bar.baz')).toBe('foo-bar-baz');
    expect(normalizePythonName('a--__..B')).toBe('a-b');
    expect(
      pythonPackage(METADATA, 'usr/lib/python3.12/site-packages/Foo_Bar.baz-2.31.0.dist-info/METADATA'),
    ).toEqual({
      ecosystem: 'pypi',
      name: 'foo-bar-baz',
      version: '2.31.0',
      purl: 'pkg:pypi/foo-bar-baz@2.31.0',
      locations: ['usr/lib/python3.12/site-packages/Foo_Bar.baz-2.31.0.dist-info/METADATA'],
      evidence: 'python-dist-info',
      licenses: ['Apache-2.0'],
    });
  });

  it("CRLF line ends; UNKNOWN licences dropped; Python 2.7's own egg-info skipped", () => {
    const pkg = pythonPackage(
      'Name: six\r\nVersion: 1.16.0\r\nLicense: UNKNOWN\r\n',
      'x/six.egg-info/PKG-INFO',
    );
    expect(pkg).toMatchObject({ name: 'six', version: '1.16.0' });
    expect(pkg?.licenses).toBeUndefined();
    expect(
      pythonPackage('Name: Python\nVersion: 2.7.18\n', 'usr/lib/python2.7/lib-dynload/Python-2.7.egg-info'),
    ).toBeUndefined();
  });

  it('no Name or Version: TARGET_INVALID naming the file', () => {
    expect(() => pythonPackage('Version: 1\n', 'a/METADATA')).toThrow(/^a\/METADATA: no Name field/);
    expect(() => pythonPackage('Name: x\n\nVersion: 1\n', 'a/METADATA')).toThrow(/no Version field/);
  });
});

describe('npm package.json under node_modules', () => {
  it('which package.json files count', () => {
    expect(isNodeModulesManifest('usr/lib/node_modules/npm/package.json')).toBe(true);
    expect(isNodeModulesManifest('app/node_modules/@babel/core/package.json')).toBe(true);
    expect(isNodeModulesManifest('app/node_modules/a/node_modules/b/package.json')).toBe(true);
    expect(isNodeModulesManifest('node_modules/a/package.json')).toBe(true);
    expect(isNodeModulesManifest('app/package.json')).toBe(false);
    expect(isNodeModulesManifest('app/node_modules/a/test/fixtures/package.json')).toBe(false);
    expect(isNodeModulesManifest('app/node_modules/@scope/package.json')).toBe(false);
  });

  it('scoped names keep the scope; the purl encodes its @; licences as string, object or list', () => {
    const at = 'app/node_modules/@babel/core/package.json';
    expect(npmPackage('{"name":"@babel/core","version":"7.24.0","license":"MIT"}', at)).toEqual({
      ecosystem: 'npm',
      name: '@babel/core',
      version: '7.24.0',
      purl: 'pkg:npm/%40babel/core@7.24.0',
      locations: [at],
      evidence: 'npm-package-json',
      licenses: ['MIT'],
    });
    expect(npmPackage('{"name":"a","version":"1.0.0","license":{"type":"ISC"}}', 'x')?.licenses).toEqual([
      'ISC',
    ]);
    expect(
      npmPackage('{"name":"a","version":"1.0.0","licenses":[{"type":"MIT"},"BSD"]}', 'x')?.licenses,
    ).toEqual(['MIT', 'BSD']);
    expect(npmPackage('\uFEFF{"name":"a","version":"1.0.0"}', 'x')?.purl).toBe('pkg:npm/a@1.0.0');
  });

  it('private packages and those without name or version are skipped (trap T8)', () => {
    expect(npmPackage('{"name":"a","version":"1.0.0","private":true}', 'x')).toBeUndefined();
    expect(npmPackage('{"name":"a"}', 'x')).toBeUndefined();
    expect(npmPackage('{"version":"1.0.0"}', 'x')).toBeUndefined();
    expect(npmPackage('{"name":" ","version":"1.0.0"}', 'x')).toBeUndefined();
  });

  it('not a JSON object: TARGET_INVALID naming the file', () => {
    expect(() => npmPackage('{"name":', 'n/package.json')).toThrow(/^n\/package\.json: not JSON/);
    expect(() => npmPackage('[1]', 'n/package.json')).toThrow(/not a JSON object/);
  });
});
