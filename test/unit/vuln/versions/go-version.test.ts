import { describe, expect, it } from 'vitest';
import { goOrder, goToolchainToSemver, isGoPseudoVersion } from '../../../../src/vuln/versions/index.js';
import { expectAscending, expectEqual } from './ordering.js';

describe('Go version order', () => {
  it('orders module versions, pseudo-versions as pre-releases', () => {
    expectAscending(goOrder, [
      'v0.0.0-20190308221718-c2843e01d9a2',
      'v0.0.0-20220308185742-91533d04e894',
      'v0.0.1',
      'v0.1.0',
      'v1.2.3',
      'v1.2.4-0.20191109021931-daa7c04131f5',
      'v1.2.4-pre',
      'v1.2.4',
      'v1.13.2',
      'v2.0.0+incompatible',
      'v2.0.1',
    ]);
  });

  it('maps toolchain versions: go1.21rc2 < go1.21.0, go1.22 = 1.22.0', () => {
    expectAscending(goOrder, [
      'go1.9',
      'go1.9.2',
      'go1.20.14',
      'go1.21beta1',
      'go1.21rc1',
      'go1.21rc2',
      'go1.21.0',
      'go1.21.1',
      'go1.22.3',
      'go1.22.10',
    ]);
    expectEqual(goOrder, [
      ['go1.22', 'go1.22.0', '1.22.0', 'v1.22.0', 'v1.22', 'go1.22.0 X:boringcrypto'],
      ['go1.21rc2', '1.21.0-rc.2'],
      ['go1', '1.0.0', 'v1'],
    ]);
    expect(goToolchainToSemver('go1.21rc2')).toBe('1.21.0-rc.2');
    expect(goToolchainToSemver('go1.9beta2')).toBe('1.9.0-beta.2');
    expect(goToolchainToSemver('v1.2.3')).toBeUndefined();
  });

  it('treats build metadata as not counting, +incompatible+dirty included', () => {
    expectEqual(goOrder, [['v2.0.0+incompatible', 'v2.0.0', 'v2.0.0+incompatible+dirty', '2.0.0']]);
  });

  it('rejects (devel), empty and malformed versions', () => {
    for (const bad of [
      '(devel)',
      '',
      'devel go1.23-abc',
      'v1.2.3.4',
      'v01.2.3',
      'go1.x',
      'v1.2-pre',
      'latest',
    ]) {
      expect(() => goOrder.parse(bad), bad).toThrow(/invalid go version/);
    }
  });

  it('recognises pseudo-versions in their three forms and nothing else', () => {
    expect(isGoPseudoVersion('v0.0.0-20220308185742-91533d04e894')).toBe(true);
    expect(isGoPseudoVersion('v1.2.4-0.20191109021931-daa7c04131f5')).toBe(true);
    expect(isGoPseudoVersion('v1.2.4-pre.0.20191109021931-daa7c04131f5')).toBe(true);
    expect(isGoPseudoVersion('v0.0.0-20220308185742-91533d04e894+incompatible')).toBe(true);
    expect(isGoPseudoVersion('v0.0.1')).toBe(false);
    expect(isGoPseudoVersion('v1.2.4-rc.1')).toBe(false);
    expect(isGoPseudoVersion('v0.0.0-2022030818574-91533d04e894')).toBe(false);
    expect(isGoPseudoVersion('(devel)')).toBe(false);
  });
});
