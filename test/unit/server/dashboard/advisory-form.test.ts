import { describe, expect, it } from 'vitest';
import { parseAdvisoryForm } from '../../../../src/server/dashboard/advisory-form.js';

const valid = { package: 'openssl', vulnerability: 'CVE-2026-0001', type: 'detection' };

describe('parseAdvisoryForm', () => {
  it.each([
    [{ ...valid }, { package: 'openssl', vulnerability: 'CVE-2026-0001', type: 'detection' }],
    [
      { ...valid, type: 'fixed', fixedVersion: ' 3.0.2-r1 ' },
      { package: 'openssl', vulnerability: 'CVE-2026-0001', type: 'fixed', fixedVersion: '3.0.2-r1' },
    ],
    [
      {
        ...valid,
        vulnerability: 'GHSA-2345-6789-cfgh',
        type: 'false-positive-determination',
        falsePositiveType: 'vulnerable-code-not-in-execution-path',
        note: 'not reachable',
      },
      {
        package: 'openssl',
        vulnerability: 'GHSA-2345-6789-cfgh',
        type: 'false-positive-determination',
        falsePositiveType: 'vulnerable-code-not-in-execution-path',
        note: 'not reachable',
      },
    ],
    [
      {
        ...valid,
        vulnerability: 'CGA-abcd-1234-wxyz',
        type: 'fix-not-planned',
        note: 'end of life',
        fixedVersion: '',
        falsePositiveType: '',
      },
      {
        package: 'openssl',
        vulnerability: 'CGA-abcd-1234-wxyz',
        type: 'fix-not-planned',
        note: 'end of life',
      },
    ],
  ])('accepts form %#', (body, input) => {
    expect(parseAdvisoryForm(body)).toEqual({ ok: true, input });
  });

  it.each([
    [{}, { package: 'required', vulnerability: 'required', type: 'required' }],
    [{ ...valid, package: '../etc' }, { package: 'a package name: letters, digits, . _ + -' }],
    [
      { ...valid, vulnerability: 'cve-2026-1' },
      { vulnerability: 'a CVE-…, GHSA-… or advisory id (e.g. CVE-2024-12345)' },
    ],
    [
      { ...valid, vulnerability: '<script>' },
      { vulnerability: 'a CVE-…, GHSA-… or advisory id (e.g. CVE-2024-12345)' },
    ],
    [{ ...valid, type: 'affected' }, { type: expect.stringMatching(/^one of detection, /) }],
    [{ ...valid, type: 'fixed' }, { fixedVersion: 'required for fixed' }],
    [
      { ...valid, type: 'fixed', fixedVersion: '3.0.2' },
      { fixedVersion: 'a package version with its epoch, e.g. 1.2.3-r1' },
    ],
    [{ ...valid, fixedVersion: '3.0.2-r0' }, { fixedVersion: 'only for fixed' }],
    [{ ...valid, type: 'analysis-not-planned' }, { note: 'required for analysis-not-planned' }],
    [{ ...valid, type: 'pending-upstream-fix', note: ' ' }, { note: 'required for pending-upstream-fix' }],
    [
      { ...valid, type: 'false-positive-determination' },
      { falsePositiveType: 'required for false-positive-determination' },
    ],
    [
      { ...valid, type: 'false-positive-determination', note: 'x', falsePositiveType: 'because' },
      { falsePositiveType: expect.stringMatching(/^one of vulnerability-record-analysis-contested, /) },
    ],
    [
      { ...valid, falsePositiveType: 'inline-mitigations-exist' },
      { falsePositiveType: 'only for false-positive-determination' },
    ],
    [{ ...valid, package: ['openssl', 'zlib'] }, { package: 'expected one text value' }],
    [{ ...valid, note: new File(['x'], 'note.txt') }, { note: 'expected one text value' }],
    [{ ...valid, package: 'a'.repeat(201) }, { package: 'at most 200 characters (got 201)' }],
    [
      { ...valid, type: 'fix-not-planned', note: 'n'.repeat(4001) },
      { note: 'at most 4000 characters (got 4001)' },
    ],
  ])('reports every problem of form %# next to its field', (body, errors) => {
    const result = parseAdvisoryForm(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual(errors);
  });

  it('keeps what was typed so the form can show it again', () => {
    const result = parseAdvisoryForm({
      package: ' openssl ',
      vulnerability: 'nope',
      type: 'detection',
      note: 'a <b>',
    });
    expect(result).toMatchObject({
      ok: false,
      values: { package: 'openssl', vulnerability: 'nope', note: 'a <b>' },
    });
  });
});
