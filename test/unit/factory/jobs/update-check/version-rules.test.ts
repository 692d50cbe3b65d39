// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go regexp replacement templates, not JS templates
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../../src/core/index.js';
import {
  compilePatterns,
  newestVersion,
  type VersionRules,
  versionOf,
} from '../../../../../src/factory/jobs/update-check/index.js';
import { isRetryable } from '../../../../../src/factory/service.js';

const PLAIN: VersionRules = { ignore: [], transforms: [], prerelease: false };

describe('upstream names to versions', () => {
  it('takes valid apk versions as they are and skips the rest', () => {
    expect(versionOf('1.2.3', PLAIN)).toBe('1.2.3');
    expect(versionOf('v1.2.3', PLAIN)).toBeUndefined();
    expect(versionOf('1.2.3-beta', PLAIN)).toBeUndefined();
    expect(versionOf('latest', PLAIN)).toBeUndefined();
  });

  it('filters by prefix and substring before stripping', () => {
    const rules = { ...PLAIN, filterPrefix: 'release-', stripPrefix: 'release-', filterContains: '.' };
    expect(versionOf('release-2.0', rules)).toBe('2.0');
    expect(versionOf('2.0', rules)).toBeUndefined();
    expect(versionOf('release-2', rules)).toBeUndefined();
  });

  it('strips a prefix and a suffix, maps the separator and applies transforms in order', () => {
    expect(versionOf('v1.2', { ...PLAIN, stripPrefix: 'v' })).toBe('1.2');
    expect(versionOf('1.2-final', { ...PLAIN, stripSuffix: '-final' })).toBe('1.2');
    expect(versionOf('curl-8_11_0', { ...PLAIN, stripPrefix: 'curl-', separator: '_' })).toBe('8.11.0');
    const transforms = [
      {
        match: compilePatterns('r.yaml', 't', ['^(\\d+)\\.(\\d+)p(\\d+)$'])[0] as RegExp,
        replace: '${1}.${2}.${3}',
      },
    ];
    expect(versionOf('9.8p1', { ...PLAIN, transforms })).toBe('9.8.1');
  });

  it('ignores names or versions matching ignore-regex-patterns', () => {
    const ignore = compilePatterns('r.yaml', 'ignore-regex-patterns', ['^v?0\\.', '\\.99$']);
    expect(versionOf('0.9', { ...PLAIN, ignore })).toBeUndefined();
    expect(versionOf('v0.9', { ...PLAIN, ignore, stripPrefix: 'v' })).toBeUndefined();
    expect(versionOf('1.99', { ...PLAIN, ignore })).toBeUndefined();
    expect(versionOf('1.98', { ...PLAIN, ignore })).toBe('1.98');
  });

  it('skips prereleases unless enable-prerelease-tags', () => {
    expect(versionOf('2.0_rc1', PLAIN)).toBeUndefined();
    expect(versionOf('2.0_beta', PLAIN)).toBeUndefined();
    expect(versionOf('2.0_rc1', { ...PLAIN, prerelease: true })).toBe('2.0_rc1');
  });

  it('picks the newest by apk version ordering, not by text', () => {
    expect(newestVersion(['1.9.0', '1.10.0', '1.2.0', 'junk'], PLAIN)).toEqual({
      version: '1.10.0',
      name: '1.10.0',
    });
    expect(newestVersion(['v2.0', 'v10.0'], { ...PLAIN, stripPrefix: 'v' })).toEqual({
      version: '10.0',
      name: 'v10.0',
    });
    expect(newestVersion(['2.0_rc1', '1.9'], PLAIN)?.version).toBe('1.9');
    expect(newestVersion([], PLAIN)).toBeUndefined();
    expect(newestVersion(['nightly'], PLAIN)).toBeUndefined();
  });

  it('rejects a bad pattern without retry, naming the file, field and pattern', () => {
    let err: unknown;
    try {
      compilePatterns('/w/recipes/x.yaml', 'ignore-regex-patterns', ['ok', '(unclosed']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LarderError);
    expect((err as LarderError).code).toBe('RECIPE_INVALID');
    expect((err as LarderError).message).toContain(
      "/w/recipes/x.yaml: update.ignore-regex-patterns[1] '(unclosed'",
    );
    expect(isRetryable(err)).toBe(false);
  });
});
