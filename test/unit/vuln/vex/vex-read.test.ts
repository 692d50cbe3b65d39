import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import { parseVexDocument, readVexFiles } from '../../../../src/vuln/vex/index.js';
import { own } from '../../../kit/paths.js';

const fixture = (name: string) => own('vex', name);
const parse = (name: string) => parseVexDocument(readFileSync(fixture(name), 'utf8'), name);

describe('OpenVEX 0.2', () => {
  it('reads statements, one per product, with the document timestamp as default', () => {
    const { format, statements } = parse('openvex-image.json');
    expect(format).toBe('openvex');
    expect(statements).toHaveLength(5);
    const [image, pkg, lib, fixed, triage] = statements;
    expect(image).toEqual({
      vulnerability: 'CVE-2024-90001',
      aliases: ['CGA-2345-6789-cfgh', 'GHSA-2345-6789-cfgh'],
      products: [
        'pkg:oci/wolfi-base@sha256:abababababababababababababababababababababababababababababababab',
      ],
      subcomponents: ['pkg:apk/wolfi/libcrypto3@3.0.7-r0', 'pkg:apk/wolfi/libssl3'],
      status: 'not_affected',
      justification: 'vulnerable_code_not_present',
      impactStatement: 'Power10-specific code; not built for x86_64/aarch64.',
      // +02:00 normalized to UTC so that timestamps order as strings.
      timestamp: '2025-06-10T16:38:37Z',
      source: 'openvex-image.json#statements/0/products/0',
    });
    expect(pkg?.products).toEqual([
      'pkg:apk/wolfi/openssl',
      'sha256:cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd',
    ]);
    expect(pkg?.subcomponents).toEqual([]);
    expect(pkg?.source).toBe('openvex-image.json#statements/0/products/1');
    // Named by its @id only: the id is the IRI's last segment.
    expect(lib).toMatchObject({
      vulnerability: 'GHSA-mqrv-cfgh-2345',
      aliases: [],
      products: ['pkg:golang/example.com/lib@v1.2.3', 'cpe:2.3:a:example:lib:1.2.3:*:*:*:*:*:*:*'],
      status: 'affected',
      actionStatement: 'upgrade to v1.2.5',
      timestamp: '2025-07-24T07:14:11Z',
    });
    expect(fixed?.timestamp).toBe('2025-08-01T00:00:00.500Z');
    expect(triage).toMatchObject({ status: 'under_investigation', timestamp: '2025-07-24T07:14:11Z' });
  });

  it('reads the 0.0.1 shapes: string vulnerability, string products, statement-level subcomponents', () => {
    const { statements } = parse('openvex-v0.0.1.json');
    expect(statements.map((s) => [s.vulnerability, s.products, s.subcomponents, s.justification])).toEqual([
      [
        'CVE-2023-90010',
        ['pkg:apk/wolfi/git@2.40.0-r0'],
        ['pkg:apk/wolfi/git-daemon'],
        'vulnerable_code_not_in_execute_path',
      ],
      [
        'CVE-2023-90010',
        ['pkg:apk/wolfi/git@2.40.1-r0'],
        ['pkg:apk/wolfi/git-daemon'],
        'vulnerable_code_not_in_execute_path',
      ],
    ]);
  });
});

describe('CycloneDX VEX', () => {
  it('maps states and justifications, resolves bom-refs to purls, skips vulnerabilities without analysis', () => {
    const { format, statements } = parse('cyclonedx-vex.json');
    expect(format).toBe('cyclonedx');
    expect(statements.map((s) => s.vulnerability)).toEqual([
      'CVE-2024-90020',
      'CVE-2024-90021',
      'CVE-2024-90022',
      'CVE-2024-90023',
      'CVE-2024-90024',
    ]);
    const [reachable, falsePositive, exploitable, resolved, triage] = statements;
    expect(reachable).toEqual({
      vulnerability: 'CVE-2024-90020',
      aliases: ['GHSA-cfgh-2345-6789'],
      products: ['pkg:apk/wolfi/libcrypto3@3.0.7-r0?arch=x86_64', 'pkg:golang/example.com/inner@v0.1.0'],
      subcomponents: [],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      impactStatement: 'only used by the CLI',
      timestamp: '2025-02-01T00:00:00Z',
      source: 'cyclonedx-vex.json#vulnerabilities/0',
    });
    expect(falsePositive).toMatchObject({
      status: 'not_affected',
      justification: 'component_not_present',
      products: ['no-purl'],
      timestamp: '2025-01-02T03:04:05Z',
    });
    expect(exploitable).toMatchObject({
      status: 'affected',
      products: ['pkg:apk/wolfi/zlib'],
      actionStatement: 'response: will_not_fix, workaround_available',
      timestamp: '2024-12-01T00:00:00Z',
    });
    expect(resolved).toMatchObject({ status: 'fixed', products: ['pkg:apk/wolfi/busybox@1.36.1-r2'] });
    expect(triage).toMatchObject({
      status: 'under_investigation',
      products: ['pkg:oci/app@sha256:1111111111111111111111111111111111111111111111111111111111111111'],
      timestamp: '2024-11-11T11:11:11Z',
    });
  });
});

/** Each broken document and a fragment its error must contain (besides the file name). */
const BROKEN: Record<string, string> = {
  'openvex-no-statements.json': 'statements: expected a list, found nothing',
  'openvex-bad-status.json': "statements[0].status: value 'exploited' is not one of not_affected, affected",
  'openvex-bad-justification.json': "statements[0].justification: value 'code_not_present' is not one of",
  'openvex-not-affected-no-reason.json':
    'statements[0]: a not_affected statement needs a justification or an impact_statement',
  'openvex-no-products.json': 'statements[0].products: a statement with no products applies to nothing',
  'openvex-product-empty-object.json':
    'statements[0].products[0]: a component needs an @id, identifiers or hashes',
  'openvex-bad-timestamp.json': "statements[0].timestamp: value 'yesterday' is not an RFC 3339 timestamp",
  'openvex-bad-document-timestamp.json':
    "timestamp: value '2025-13-45T00:00:00Z' is not an RFC 3339 timestamp",
  'openvex-vuln-without-name.json': 'statements[0].vulnerability: a vulnerability needs a name or an @id',
  'openvex-alias-not-string.json':
    'statements[0].vulnerability.aliases[0]: expected a non-empty string, found 7',
  'openvex-statement-not-object.json': "statements[0]: expected an object, found 'CVE-2024-1'",
  'openvex-subcomponent-number.json':
    'statements[0].products[0].subcomponents[0]: expected an object, found 42',
  'openvex-identifiers-list.json': 'statements[0].products[0].identifiers: expected an object',
  'openvex-truncated.json': 'not valid JSON',
  'empty.json': 'not valid JSON',
  'not-json.json': 'not valid JSON',
  'top-level-array.json': 'not an OpenVEX document',
  'unknown-format.json': 'not an OpenVEX document',
  'csaf.json': 'nor a CycloneDX BOM',
  'cyclonedx-bad-state.json': "vulnerabilities[0].analysis.state: value 'patched' is not one of resolved",
  'cyclonedx-bad-spec-version.json': "specVersion: value '1.3' is not one of 1.4, 1.5, 1.6",
  'cyclonedx-no-affects.json':
    'vulnerabilities[0].affects: a vulnerability that affects nothing states nothing',
  'cyclonedx-bad-response.json': "vulnerabilities[0].analysis.response[0]: value 'ignore' is not one of",
  'cyclonedx-bad-justification.json':
    "analysis.justification: value 'vulnerable_code_not_present' is not one of",
  'cyclonedx-no-vulnerabilities.json': 'vulnerabilities: expected a list, found nothing',
  'cyclonedx-ref-number.json': 'vulnerabilities[0].affects[0].ref: expected a non-empty string, found 5',
  'cyclonedx-no-id.json': 'vulnerabilities[0].id: expected a non-empty string, found nothing',
  'cyclonedx-reference-without-id.json': 'vulnerabilities[0].references[0].id: expected a non-empty string',
  'cyclonedx-component-not-object.json': "components[0]: expected an object, found 'a'",
  'cyclonedx-bad-last-updated.json': "analysis.lastUpdated: value '2024-02-30' is not an RFC 3339 timestamp",
};

describe('broken VEX documents (test/fixtures/vex/bad)', () => {
  it('the table covers every file of the corpus', () => {
    expect(readdirSync(fixture('bad')).sort()).toEqual(Object.keys(BROKEN).sort());
  });

  it.each(Object.entries(BROKEN))('%s → VEX_INVALID', (name, fragment) => {
    const path = join('bad', name);
    let err: unknown;
    try {
      parseVexDocument(readFileSync(fixture(path), 'utf8'), path);
    } catch (e) {
      err = e;
    }
    expect(isLarderError(err, 'VEX_INVALID'), String(err)).toBe(true);
    expect((err as Error).message).toContain(`${path}`);
    expect((err as Error).message).toContain(fragment);
  });

  it('a JSON syntax error gives line:column when V8 reports a position', () => {
    expect(() =>
      parseVexDocument('{\n  "@context": "https://openvex.dev/ns/v0.2.0",\n  x\n}', 'f.json'),
    ).toThrow(/^f\.json:3:3: not valid JSON/);
  });

  it('readVexFiles names a missing file', async () => {
    await expect(readVexFiles([fixture('missing.json')])).rejects.toThrow(/missing\.json: ENOENT/);
  });
});
