import { describe, expect, it } from 'vitest';
import {
  ADVISORY_EVENT_TYPES,
  type AdvisoryDocument,
  DETECTION_TYPES,
  FALSE_POSITIVE_TYPES,
  parseAdvisoryText,
  readAdvisoryDirectory,
  readAdvisoryDocument,
} from '../../../../src/vuln/advisory/index.js';
import { own } from '../../../kit/paths.js';

const WOLFI_LIKE = own('advisories', 'wolfi-like');

function parseOk(text: string, file: string): AdvisoryDocument {
  const parsed = parseAdvisoryText(text, file);
  expect(parsed.issues).toEqual([]);
  return parsed.document as AdvisoryDocument;
}

describe('advisory documents: reading', () => {
  it('reads the wolfi-like directory: six documents sorted by file name', async () => {
    const docs = await readAdvisoryDirectory(WOLFI_LIKE);
    expect(docs.map((d) => d.package.name)).toEqual([
      'busybox',
      'crane',
      'glibc',
      'openssl',
      'redis-operator',
      'zlib',
    ]);
    expect(docs.map((d) => d.schemaVersion)).toEqual(['2', '2.0.2', '2.0.1', '2.0.2', '2.0.2', '2.0.2']);
    expect(docs.reduce((n, d) => n + d.advisories.length, 0)).toBe(25);
  });

  it('covers every event type, detection type and false-positive type', async () => {
    const events = (await readAdvisoryDirectory(WOLFI_LIKE)).flatMap((d) =>
      d.advisories.flatMap((a) => a.events),
    );
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(ADVISORY_EVENT_TYPES));
    const detections = events.flatMap((e) => (e.type === 'detection' ? [e.data.type] : []));
    expect(new Set(detections)).toEqual(new Set(DETECTION_TYPES));
    const fps = events.flatMap((e) => (e.type === 'false-positive-determination' ? [e.data.type] : []));
    expect(new Set(fps)).toEqual(new Set(FALSE_POSITIVE_TYPES));
  });

  it('types the data of each event (camelCase model, YAML spelling in the file)', async () => {
    const doc = await readAdvisoryDocument(own('advisories', 'wolfi-like', 'openssl.advisories.yaml'));
    const [first] = doc.advisories;
    expect(first?.id).toBe('CGA-w4qc-326w-qhg2');
    expect(first?.aliases).toEqual(['CVE-2022-90001', 'GHSA-2g4q-2pc4-wxc9']);
    expect(first?.events).toEqual([
      {
        timestamp: '2022-11-01T15:02:11Z',
        type: 'detection',
        data: {
          type: 'scan/v1',
          data: {
            subpackageName: 'libcrypto3',
            componentID: '5f1c0a3e9d7b2c41',
            componentName: 'libcrypto3',
            componentVersion: '3.0.6-r0',
            componentType: 'apk',
            componentLocation: '/.PKGINFO',
            scanner: 'grype',
          },
        },
      },
      { timestamp: '2022-11-01T18:40:05Z', type: 'fixed', data: { fixedVersion: '3.0.7-r0' } },
    ]);
    expect(doc.file).toBe(own('advisories', 'wolfi-like', 'openssl.advisories.yaml'));
  });

  it('keeps text as text: versions and timestamps are never numbers or dates', () => {
    const doc = parseOk(
      [
        'schema-version: 2.0',
        'package:',
        '  name: pkg',
        'advisories:',
        '  - id: CGA-2222-3333-4444',
        '    aliases: [CVE-2024-1000, GO-2024-2345]',
        '    events:',
        '      - {timestamp: "2024-01-01T00:00:00.5+02:00", type: fixed, data: {fixed-version: 1.10-r0}}',
        '      - timestamp: 2024-01-01T00:00:00Z',
        '        type: true-positive-determination',
        '        data:',
        '',
      ].join('\n'),
      'pkg.advisories.yaml',
    );
    expect(doc.schemaVersion).toBe('2.0');
    expect(doc.advisories[0]?.events).toEqual([
      { timestamp: '2024-01-01T00:00:00.5+02:00', type: 'fixed', data: { fixedVersion: '1.10-r0' } },
      { timestamp: '2024-01-01T00:00:00Z', type: 'true-positive-determination' },
    ]);
  });

  it('an advisory needs no aliases (old files) and a TP may carry a note', () => {
    const doc = parseOk(
      [
        'schema-version: "2"',
        'package: {name: pkg}',
        'advisories:',
        '  - id: CGA-2222-3333-4444',
        '    events:',
        '      - timestamp: 2024-01-01T00:00:00Z',
        '        type: true-positive-determination',
        '        data: {note: reachable}',
      ].join('\n'),
      'dir/pkg.advisories.yaml',
    );
    expect(doc.advisories[0]).toEqual({
      id: 'CGA-2222-3333-4444',
      aliases: [],
      events: [
        {
          timestamp: '2024-01-01T00:00:00Z',
          type: 'true-positive-determination',
          data: { note: 'reachable' },
        },
      ],
    });
  });
});
