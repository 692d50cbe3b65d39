import { describe, expect, it } from 'vitest';
import {
  draftFromDistroRecord,
  readCycloneDxVex,
  readOpenVex,
  toCycloneDxVex,
  toOpenVexDocument,
  type VexDraft,
  vexDraftsFromScan,
  vexTimestamp,
} from '../../../../src/vuln/vex/index.js';
import { catalog, distroRecord, finding, pkg, rangeRecord, suppressed } from '../report/builders.js';
import { cycloneDxProblems, openVexValidator, problems } from '../report/schemas.js';

const SUBJECT = { product: 'pkg:apk/wolfi/openssl@3.0.7-r0', installedVersion: '3.0.7-r0' };
const OPTIONS = { author: 'Example Security', timestamp: '2025-01-01T00:00:00Z', tooling: 'larder 0.1.0' };

describe('distribution records → VEX (vulns.md §4.3)', () => {
  it.each([
    [
      'fixed, installed below',
      'fixed',
      { fixedVersion: '3.0.8-r0' },
      'affected',
      { actionStatement: 'upgrade to 3.0.8-r0 or later', responses: ['update'] },
    ],
    [
      'fixed, installed equal',
      'fixed',
      { fixedVersion: '3.0.7-r0' },
      'fixed',
      { statusNotes: 'fixed in 3.0.7-r0' },
    ],
    [
      'fixed, installed above',
      'fixed',
      { fixedVersion: '3.0.7_rc1-r0' },
      'fixed',
      { fixedVersion: '3.0.7_rc1-r0' },
    ],
    [
      'true positive',
      'affected',
      {},
      'affected',
      { actionStatement: 'no fixed version yet; the fix is in progress' },
    ],
    [
      'pending upstream fix',
      'pending-upstream-fix',
      { reason: 'waiting for 3.1' },
      'affected',
      { actionStatement: 'pending upstream fix: waiting for 3.1', responses: ['can_not_fix'] },
    ],
    [
      'fix not planned',
      'fix-not-planned',
      {},
      'affected',
      { actionStatement: 'no fix planned', responses: ['will_not_fix'] },
    ],
    ['detection', 'under-investigation', {}, 'under_investigation', {}],
    [
      'analysis not planned',
      'analysis-not-planned',
      {},
      'under_investigation',
      { statusNotes: 'analysis not planned' },
    ],
  ] as const)('%s', (_, state, more, status, expected) => {
    const draft = draftFromDistroRecord(distroRecord('openssl', 'CVE-2024-1', state, more), SUBJECT);
    expect(draft.status).toBe(status);
    expect(draft).toMatchObject(expected);
  });

  it.each([
    ['component-vulnerability-mismatch', 'component_not_present'],
    ['vulnerable-code-not-included-in-package', 'vulnerable_code_not_present'],
    ['vulnerable-code-version-not-used', 'vulnerable_code_not_present'],
    ['vulnerable-code-not-in-execution-path', 'vulnerable_code_not_in_execute_path'],
    [
      'vulnerable-code-cannot-be-controlled-by-adversary',
      'vulnerable_code_cannot_be_controlled_by_adversary',
    ],
    ['inline-mitigations-exist', 'inline_mitigations_already_exist'],
    ['vulnerability-record-analysis-contested', undefined],
    ['secdb "0"', undefined],
  ])('false positive %s → justification %s, the reason as impact statement', (reason, justification) => {
    const draft = draftFromDistroRecord(
      distroRecord('openssl', 'CVE-2024-1', 'not-affected', { reason }),
      SUBJECT,
    );
    expect(draft.status).toBe('not_affected');
    expect(draft.justification).toBe(justification);
    expect(draft.impactStatement).toBe(reason);
  });

  it('names the vulnerability by its CVE; the CGA and GHSA ids become aliases', () => {
    const record = distroRecord('openssl', 'CGA-2345-6789-cfgh', 'fixed', {
      aliases: ['GHSA-2345-6789-cfgh', 'CVE-2024-5'],
      fixedVersion: '3.0.7-r0',
      timestamp: '2024-05-01T00:00:00Z',
    });
    expect(draftFromDistroRecord(record, SUBJECT)).toMatchObject({
      vulnerability: 'CVE-2024-5',
      aliases: ['CGA-2345-6789-cfgh', 'GHSA-2345-6789-cfgh'],
      timestamp: '2024-05-01T00:00:00Z',
      source: 'advisories/openssl.advisories.yaml',
    });
  });
});

function scanDrafts(image: boolean): VexDraft[] {
  const libcrypto = pkg('libcrypto3', '3.0.7-r0', { origin: 'openssl' });
  const libssl = pkg('libssl3', '3.0.7-r0', { origin: 'openssl' });
  const zlib = pkg('zlib', '1.3-r1');
  const busybox = pkg('busybox', '1.36.1-r2');
  const gomod = pkg('golang.org/x/net', 'v0.17.0', { ecosystem: 'go', ownedBy: 'apk:busybox@1.36.1-r2' });
  const fix = { state: 'fixed' as const, versions: ['3.0.8-r0'] };
  const fpRecord = distroRecord('zlib', 'CVE-2024-3', 'not-affected', {
    reason: 'false-positive-determination (vulnerable-code-not-included-in-package)',
  });
  return vexDraftsFromScan({
    catalog: catalog([libcrypto, libssl, zlib, busybox, gomod], image),
    findings: [
      finding(libcrypto, 'CVE-2024-1', 'high', { fix }),
      finding(libssl, 'CVE-2024-1', 'high', { fix }),
      finding(gomod, 'GHSA-cfgh-cfgh-cfgh', 'medium', {
        aliases: ['CVE-2024-9'],
        fix: { state: 'fixed', versions: ['v0.23.0'] },
        record: rangeRecord('golang.org/x/net', 'GHSA-cfgh-cfgh-cfgh', 'v0.23.0'),
      }),
    ],
    suppressed: [
      suppressed(
        finding(zlib, 'CVE-2024-3', 'low', { record: fpRecord }),
        'distro-not-affected',
        fpRecord.reason ?? '',
      ),
      suppressed(finding(gomod, 'CVE-2024-4', 'high'), 'distro-fixed-owner', 'busybox fixed in 1.36.1-r2'),
      suppressed(finding(busybox, 'CVE-2024-6', 'low'), 'vex', 'openvex x.json: not_affected'),
      suppressed(finding(busybox, 'CVE-2024-7', 'low'), 'only-fixed', 'no fix'),
    ],
    distroStatements: [
      {
        package: busybox,
        record: distroRecord('busybox', 'CVE-2024-2', 'fixed', { fixedVersion: '1.36.1-r1' }),
      },
      {
        package: libcrypto,
        record: distroRecord('openssl', 'CVE-2024-1', 'fixed', { fixedVersion: '3.0.8-r0' }),
      },
    ],
  });
}

describe('VEX from a scan', () => {
  it('an image product with package subcomponents; statements merged across subpackages', () => {
    const drafts = scanDrafts(true);
    const image = `pkg:oci/wolfi-base@sha256:${'ab'.repeat(32)}`;
    expect(drafts.map((d) => [d.vulnerability, d.status, d.products, d.subcomponents])).toEqual([
      [
        'CVE-2024-1',
        'affected',
        [image],
        ['pkg:apk/wolfi/libcrypto3@3.0.7-r0', 'pkg:apk/wolfi/libssl3@3.0.7-r0'],
      ],
      ['CVE-2024-2', 'fixed', [image], ['pkg:apk/wolfi/busybox@1.36.1-r2']],
      ['CVE-2024-3', 'not_affected', [image], ['pkg:apk/wolfi/zlib@1.3-r1']],
      ['CVE-2024-4', 'fixed', [image], ['pkg:golang/golang.org/x/net@v0.17.0']],
      ['CVE-2024-7', 'affected', [image], ['pkg:apk/wolfi/busybox@1.36.1-r2']],
      ['CVE-2024-9', 'affected', [image], ['pkg:golang/golang.org/x/net@v0.17.0']],
    ]);
    expect(drafts[2]?.justification).toBe('vulnerable_code_not_present');
    expect(drafts[5]).toMatchObject({
      aliases: ['GHSA-cfgh-cfgh-cfgh'],
      actionStatement: 'upgrade to v0.23.0',
    });
  });

  it('package purls as products when the target is not an image', () => {
    const drafts = scanDrafts(false);
    expect(drafts[0]?.products).toEqual([
      'pkg:apk/wolfi/libcrypto3@3.0.7-r0',
      'pkg:apk/wolfi/libssl3@3.0.7-r0',
    ]);
    expect(drafts.every((d) => d.subcomponents.length === 0)).toBe(true);
  });

  it('OpenVEX output validates against the official schema and reads back to the same statements', () => {
    const drafts = scanDrafts(true);
    const doc = toOpenVexDocument(drafts, OPTIONS);
    expect(problems(openVexValidator(), doc)).toEqual([]);
    expect(doc['@id']).toMatch(/^https:\/\/openvex\.dev\/docs\/public\/vex-[0-9a-f]{64}$/);
    // Same statements, same id, whatever the document time; another author, another id.
    expect(toOpenVexDocument(drafts, { ...OPTIONS, timestamp: '2030-01-01T00:00:00Z' })['@id']).toBe(
      doc['@id'],
    );
    expect(toOpenVexDocument(drafts, { ...OPTIONS, author: 'other' })['@id']).not.toBe(doc['@id']);
    const back = readOpenVex(JSON.parse(JSON.stringify(doc)), 'back.json');
    const core = (d: VexDraft | (typeof back)[number]) => [
      d.vulnerability,
      d.status,
      d.products,
      d.subcomponents,
      d.justification,
    ];
    expect(back.map(core)).toEqual(drafts.map(core));
  });

  it('CycloneDX 1.6 output validates against the official schema and reads back', () => {
    const drafts = scanDrafts(true);
    const doc = toCycloneDxVex(drafts, OPTIONS);
    expect(cycloneDxProblems(doc)).toEqual([]);
    expect(doc.metadata.component).toMatchObject({ type: 'container', name: 'wolfi-base' });
    expect(doc.metadata.tools.components).toEqual([
      { type: 'application', name: 'larder', version: '0.1.0' },
    ]);
    const affected = doc.vulnerabilities[0];
    expect(affected?.analysis).toEqual({
      state: 'exploitable',
      response: ['update'],
      detail: 'upgrade to 3.0.8-r0 or later',
    });
    expect(affected?.affects[0]).toEqual({
      ref: 'pkg:apk/wolfi/libcrypto3@3.0.7-r0',
      versions: [{ range: 'vers:apk/<3.0.8-r0', status: 'affected' }],
    });
    expect(doc.vulnerabilities[2]?.analysis).toMatchObject({
      state: 'not_affected',
      justification: 'code_not_present',
    });
    const back = readCycloneDxVex(JSON.parse(JSON.stringify(doc)), 'back.json');
    expect(back.map((s) => [s.vulnerability, s.status, s.justification])).toEqual(
      drafts.map((d) => [d.vulnerability, d.status, d.justification]),
    );
    expect(toCycloneDxVex(drafts, { ...OPTIONS, timestamp: '2030-01-01T00:00:00Z' }).serialNumber).toBe(
      doc.serialNumber,
    );
  });

  it('a component mismatch is a CycloneDX false positive', () => {
    const draft = draftFromDistroRecord(
      distroRecord('openssl', 'CVE-2024-1', 'not-affected', { reason: 'component-vulnerability-mismatch' }),
      SUBJECT,
    );
    const doc = toCycloneDxVex([draft], OPTIONS);
    expect(doc.vulnerabilities[0]?.analysis).toEqual({
      state: 'false_positive',
      detail: 'component-vulnerability-mismatch',
    });
    expect(cycloneDxProblems(doc)).toEqual([]);
  });

  it('vexTimestamp: SOURCE_DATE_EPOCH seconds, else now, in whole seconds', () => {
    expect(vexTimestamp(1_700_000_000)).toBe('2023-11-14T22:13:20Z');
    expect(vexTimestamp(undefined, () => 1_700_000_000_999)).toBe('2023-11-14T22:13:20Z');
  });
});
