import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycloneDxLicenses } from '../../../src/sbom/cyclonedx-components.js';
import { isSpdxLicenseExpression, parseLicenseExpression } from '../../../src/sbom/index.js';
import { formatLicenseExpression } from '../../../src/sbom/license-expression.js';
import { type LicenseRefs, licenseRefFor, spdxDeclaredLicense } from '../../../src/sbom/spdx-license.js';
import { SPDX_LICENSE_IDS_TEXT } from '../../../src/sbom/spdx-license-ids.js';
import { SCHEMAS } from './helpers.js';

describe('parseLicenseExpression', () => {
  it.each([
    ['MIT', 'MIT'],
    ['mit', 'MIT'],
    ['MIT AND (GPL-2.0-only OR BSD-3-Clause)', 'MIT AND (GPL-2.0-only OR BSD-3-Clause)'],
    ['GPL-3.0-or-later WITH GCC-exception-3.1', 'GPL-3.0-or-later WITH GCC-exception-3.1'],
    ['( MIT  OR\tApache-2.0 )', '(MIT OR Apache-2.0)'],
    ['GPL-2.0+', 'GPL-2.0+'],
    ['LicenseRef-ubuntu-font AND MIT', 'LicenseRef-ubuntu-font AND MIT'],
    ['GPL2', 'GPL2'],
  ])('%s parses as %s', (text, formatted) => {
    const tokens = parseLicenseExpression(text);
    expect(tokens).toBeDefined();
    expect(formatLicenseExpression(tokens ?? [])).toBe(formatted);
  });

  it.each([
    '',
    'custom:foo',
    'MIT, BSD',
    'MIT or Apache-2.0',
    'MIT AND',
    '(MIT',
    'MIT)',
    'AND MIT',
    'MIT WITH GPL2',
    '(MIT OR BSD-3-Clause) WITH Classpath-exception-2.0',
    'MIT Apache-2.0',
  ])('%j is not an expression', (text) => {
    expect(parseLicenseExpression(text)).toBeUndefined();
  });

  it('tells listed identifiers from unknown ones', () => {
    expect(isSpdxLicenseExpression('MIT AND (GPL-2.0-only OR BSD-3-Clause)')).toBe(true);
    expect(isSpdxLicenseExpression('LicenseRef-x')).toBe(true);
    expect(isSpdxLicenseExpression('GPL2')).toBe(false);
    expect(isSpdxLicenseExpression('MIT AND GPL2')).toBe(false);
  });
});

describe('spdxDeclaredLicense', () => {
  it.each([
    [undefined, 'NOASSERTION', []],
    ['', 'NOASSERTION', []],
    ['  ', 'NOASSERTION', []],
    ['NONE', 'NONE', []],
    ['MIT', 'MIT', []],
    ['apache-2.0', 'Apache-2.0', []],
    ['MIT AND (GPL-2.0-only OR BSD-3-Clause)', 'MIT AND (GPL-2.0-only OR BSD-3-Clause)', []],
    ['GPL2', 'LicenseRef-GPL2', ['LicenseRef-GPL2']],
    ['MIT AND GPL2', 'MIT AND LicenseRef-GPL2', ['LicenseRef-GPL2']],
    ['custom:foo', licenseRefFor('custom:foo'), [licenseRefFor('custom:foo')]],
    ['LicenseRef-ubuntu-font', 'LicenseRef-ubuntu-font', ['LicenseRef-ubuntu-font']],
  ])('%j → %s', (license, declared, ids) => {
    const refs: LicenseRefs = new Map();
    expect(spdxDeclaredLicense(license, refs)).toBe(declared);
    expect([...refs.keys()]).toEqual(ids);
  });

  it('keeps altered LicenseRefs apart with a hash', () => {
    expect(licenseRefFor('custom:foo')).toMatch(/^LicenseRef-custom-foo-[0-9a-f]{8}$/);
    expect(licenseRefFor('custom:foo')).not.toBe(licenseRefFor('custom/foo'));
    expect(licenseRefFor('::')).toMatch(/^LicenseRef-[0-9a-f]{8}$/);
  });
});

describe('cycloneDxLicenses', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['NOASSERTION', undefined],
    ['MIT AND (GPL-2.0-only OR BSD-3-Clause)', [{ expression: 'MIT AND (GPL-2.0-only OR BSD-3-Clause)' }]],
    ['GPL2', [{ license: { name: 'GPL2' } }]],
    ['custom:foo', [{ license: { name: 'custom:foo' } }]],
  ])('%j → %j', (license, choice) => {
    expect(cycloneDxLicenses(license)).toEqual(choice);
  });
});

describe('the SPDX License List copy', () => {
  it('matches the ids of the official CycloneDX spdx.schema.json', () => {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, 'spdx.schema.json'), 'utf8')) as { enum: string[] };
    const ours = SPDX_LICENSE_IDS_TEXT.split(/\s+/).filter((id) => id !== '');
    expect(ours).toEqual(schema.enum);
  });
});
