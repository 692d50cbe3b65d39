import { describe, expect, it } from 'vitest';
import {
  type Advisory,
  type AdvisoryDocument,
  type AdvisoryEvent,
  advisoryDistroRecords,
  latestEvent,
  readAdvisoryDirectory,
  sortedAdvisoryEvents,
  summarizeAdvisories,
} from '../../../../src/vuln/advisory/index.js';
import { own } from '../../../kit/paths.js';

const detection = (timestamp: string): AdvisoryEvent => ({
  timestamp,
  type: 'detection',
  data: { type: 'manual' },
});
const fixed = (timestamp: string, fixedVersion: string): AdvisoryEvent => ({
  timestamp,
  type: 'fixed',
  data: { fixedVersion },
});
const advisory = (...events: AdvisoryEvent[]): Advisory => ({
  id: 'CGA-2222-3333-4444',
  aliases: [],
  events,
});

describe('advisory state: the latest event by timestamp decides', () => {
  it('events out of file order: the greatest timestamp wins, not the last listed', () => {
    const a = advisory(fixed('2025-07-02T16:45:00Z', '1.0-r1'), detection('2025-06-30T07:20:00Z'));
    expect(latestEvent(a).type).toBe('fixed');
    expect(sortedAdvisoryEvents(a).map((e) => e.type)).toEqual(['detection', 'fixed']);
  });

  it('timestamps compare as instants, whatever their offset', () => {
    const a = advisory(fixed('2025-01-01T10:00:00+02:00', '1.0-r1'), detection('2025-01-01T09:00:00Z'));
    expect(latestEvent(a).type).toBe('detection');
  });

  it('equal timestamps: the event listed later wins, and sorting keeps file order', () => {
    const a = advisory(detection('2025-01-01T00:00:00Z'), fixed('2025-01-01T00:00:00Z', '1.0-r1'));
    expect(latestEvent(a).type).toBe('fixed');
    const b = advisory(fixed('2025-01-01T00:00:00Z', '1.0-r1'), detection('2025-01-01T00:00:00Z'));
    expect(latestEvent(b).type).toBe('detection');
    expect(sortedAdvisoryEvents(b).map((e) => e.type)).toEqual(['fixed', 'detection']);
  });

  it('a reopened advisory (fixed, then detected again) is affected; history is kept', () => {
    const a = advisory(fixed('2024-10-01T10:00:00Z', '3.4.0-r0'), detection('2025-05-15T13:30:00Z'));
    const doc: AdvisoryDocument = {
      file: 'f',
      schemaVersion: '2.0.2',
      package: { name: 'p' },
      advisories: [a],
    };
    expect(advisoryDistroRecords([doc])[0]?.state).toBe('affected');
    expect(a.events.length).toBe(2);
  });
});

describe('advisoryDistroRecords (wolfi-like fixtures)', () => {
  it('maps each latest event type onto the model state, with version or reason', async () => {
    const docs = await readAdvisoryDirectory(own('advisories', 'wolfi-like'));
    const records = advisoryDistroRecords(docs, { distro: 'wolfi' });
    expect(records.length).toBe(25);
    const byId = new Map(records.map((r) => [r.vulnerability, r]));
    const openssl = own('advisories', 'wolfi-like', 'openssl.advisories.yaml');
    expect(byId.get('CGA-w4qc-326w-qhg2')).toEqual({
      distro: 'wolfi',
      package: 'openssl',
      vulnerability: 'CGA-w4qc-326w-qhg2',
      aliases: ['CVE-2022-90001', 'GHSA-2g4q-2pc4-wxc9'],
      state: 'fixed',
      fixedVersion: '3.0.7-r0',
      timestamp: '2022-11-01T18:40:05Z',
      source: openssl,
    });
    expect(byId.get('CGA-cq8m-vv58-wvcx')).toMatchObject({
      state: 'not-affected',
      reason: 'vulnerable-code-not-included-in-package',
    });
    expect(byId.get('CGA-cq8m-vv58-wvcx')?.fixedVersion).toBeUndefined();
    expect(byId.get('CGA-4mg4-hmcp-58f5')?.state).toBe('pending-upstream-fix');
    expect(byId.get('CGA-3w8h-q8rw-r2h9')).toMatchObject({ state: 'fixed', fixedVersion: '3.5.1-r1' });
    expect(byId.get('CGA-xmfh-w54r-r85x')).toMatchObject({ state: 'fixed', fixedVersion: '3.5.2-r0' });
    expect(byId.get('CGA-cf8j-q96x-8r28')).toMatchObject({
      state: 'affected',
      timestamp: '2025-05-15T13:30:00Z',
    });
    expect(byId.get('CGA-ppj4-rmqf-m48c')?.state).toBe('affected'); // true-positive-determination
    expect(byId.get('CGA-8mg4-75jv-6pq4')?.state).toBe('affected'); // detection only
    expect(byId.get('CGA-qq6j-qfpg-h7xj')?.state).toBe('fix-not-planned');
    expect(byId.get('CGA-cx2m-rq4q-95hh')?.state).toBe('analysis-not-planned');
    // Records are filed under the origin package, whatever subpackage the scanner saw.
    expect(byId.get('CGA-72xw-5hhq-w386')).toMatchObject({ package: 'glibc', fixedVersion: '2.41-r60' });
    expect(byId.get('CGA-2v6x-47xc-pq26')).toMatchObject({
      package: 'redis-operator',
      aliases: ['GHSA-96qp-x5x6-p8wh'],
    });
  });

  it("the distro namespace defaults to '' (any distribution)", async () => {
    const docs = await readAdvisoryDirectory(own('advisories', 'wolfi-like'));
    expect(new Set(advisoryDistroRecords(docs).map((r) => r.distro))).toEqual(new Set(['']));
  });
});

describe('summarizeAdvisories', () => {
  it('one row per advisory sorted by package then id, filtered by package and by id or alias', async () => {
    const docs = await readAdvisoryDirectory(own('advisories', 'wolfi-like'));
    const all = summarizeAdvisories(docs);
    expect(all.length).toBe(25);
    expect(all.map((r) => `${r.package} ${r.id}`)).toEqual(
      [...all.map((r) => `${r.package} ${r.id}`)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    expect(summarizeAdvisories(docs, { package: 'zlib' }).map((r) => r.id)).toEqual([
      'CGA-6q37-mxj5-p94x',
      'CGA-72gv-xxfh-jrjf',
      'CGA-ppj4-rmqf-m48c',
    ]);
    const byAlias = summarizeAdvisories(docs, { vulnerability: 'GO-2025-9044' });
    expect(byAlias).toEqual([
      {
        package: 'redis-operator',
        id: 'CGA-349x-9v37-gh33',
        aliases: ['CVE-2025-90044', 'GHSA-j2v6-5ph2-6vqc', 'GO-2025-9044'],
        state: 'pending-upstream-fix',
        updated: '2025-07-11T06:00:00Z',
        events: 2,
        file: own('advisories', 'wolfi-like', 'redis-operator.advisories.yaml'),
      },
    ]);
    expect(summarizeAdvisories(docs, { vulnerability: 'CGA-3w8h-q8rw-r2h9' })[0]).toMatchObject({
      state: 'fixed',
      fixedVersion: '3.5.1-r1',
    });
    expect(summarizeAdvisories(docs, { package: 'zlib', vulnerability: 'CVE-2025-90044' })).toEqual([]);
  });
});
