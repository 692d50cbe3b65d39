import { afterEach, describe, expect, it } from 'vitest';
import { formatMetrics, histogramSamples } from '../../../src/server/metrics/exposition.js';
import { type Fixture, fixture } from './seed.js';

let f: Fixture | undefined;
afterEach(async () => {
  await f?.service.close();
  f = undefined;
});

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text exposition format: throws on any line it does not understand. */
function parseExposition(text: string): { types: Map<string, string>; samples: ParsedSample[] } {
  if (!text.endsWith('\n')) throw new Error('no final newline');
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: ParsedSample[] = [];
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
  const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/y;
  for (const line of text.slice(0, -1).split('\n')) {
    let m = new RegExp(`^# HELP (${NAME}) (.*)$`).exec(line);
    if (m !== null) {
      if (helped.has(m[1] as string)) throw new Error(`HELP twice: ${line}`);
      helped.add(m[1] as string);
      continue;
    }
    m = new RegExp(`^# TYPE (${NAME}) (gauge|counter|histogram|summary|untyped)$`).exec(line);
    if (m !== null) {
      if (types.has(m[1] as string)) throw new Error(`TYPE twice: ${line}`);
      types.set(m[1] as string, m[2] as string);
      continue;
    }
    m = sampleLine.exec(line);
    if (m === null) throw new Error(`not a sample: ${line}`);
    const name = m[1] as string;
    const family = [...types.keys()].find(
      (t) => name === t || ['_bucket', '_sum', '_count'].some((s) => name === t + s),
    );
    if (family === undefined) throw new Error(`sample before its TYPE: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    labelPair.lastIndex = 0;
    while (labelPair.lastIndex < body.length) {
      const p = labelPair.exec(body);
      if (p === null) throw new Error(`bad labels: ${line}`);
      labels[p[1] as string] = (p[2] as string)
        .replace(/\\n/g, '\n')
        .replace(/\\"/g, '"')
        .replace(/\\\\/g, '\\');
    }
    const value = m[3] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`bad value: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

describe('/metrics', () => {
  it('escapes label values and formats histograms', () => {
    const text = formatMetrics([
      { name: 'x_total', help: 'a\nb', type: 'counter', samples: [{ labels: { v: 'q"\\\nz' }, value: 1 }] },
      { name: 'h', help: 'h', type: 'histogram', samples: histogramSamples([0.5, 2, 9], [1, 5]) },
    ]);
    const { samples } = parseExposition(text);
    expect(samples[0]?.labels.v).toBe('q"\\\nz');
    expect(text).toContain('# HELP x_total a\\nb');
    expect(samples.filter((s) => s.name === 'h_bucket').map((s) => [s.labels.le, s.value])).toEqual([
      ['1', 1],
      ['5', 2],
      ['+Inf', 3],
    ]);
    expect(samples.find((s) => s.name === 'h_sum')?.value).toBe(11.5);
    expect(() => parseExposition('bad line here\n')).toThrow();
  });

  it('reports queue depth, durations, findings, exposure and the last reconcile', async () => {
    f = await fixture();
    // The compose job runs for 90 s.
    await f.service.store.write((db) =>
      db
        .updateTable('factory_jobs')
        .set({
          status: 'succeeded',
          started_at: '2026-01-01T00:00:00.000Z',
          finished_at: '2026-01-01T00:01:30.000Z',
        })
        .where('kind', '=', 'compose')
        .execute(),
    );
    const res = await f.app.request('/metrics');
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const { types, samples } = parseExposition(await res.text());
    const value = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;
    expect(types.get('larder_jobs')).toBe('gauge');
    expect(value('larder_jobs', { kind: 'build', status: 'pending' })).toBe(1);
    expect(value('larder_jobs', { kind: 'compose', status: 'succeeded' })).toBe(1);
    expect(value('larder_jobs', { kind: 'rescan', status: 'failed' })).toBe(0);
    expect(types.get('larder_build_duration_seconds')).toBe('histogram');
    expect(value('larder_build_duration_seconds_sum', { arch: 'x86_64' })).toBe(120);
    expect(value('larder_build_duration_seconds_bucket', { arch: 'x86_64', le: '60' })).toBe(0);
    expect(value('larder_build_duration_seconds_bucket', { arch: 'x86_64', le: '120' })).toBe(1);
    expect(value('larder_compose_duration_seconds_sum', {})).toBe(90);
    expect(value('larder_open_findings', { image: 'greet', severity: 'unknown' })).toBe(1);
    expect(
      value('larder_exposure_open_seconds', { image: 'greet', vulnerability: 'CVE-2026-0002' }),
    ).toBeGreaterThan(0);
    expect(value('larder_exposure_closed_seconds_count', {})).toBe(1);
    // CVE-2026-0001: first seen at 00:20, fixed by the version of 00:30.
    expect(value('larder_exposure_closed_seconds_sum', {})).toBe(600);
    expect(value('larder_last_reconcile_timestamp_seconds', {})).toBe(
      Date.parse('2026-01-02T00:00:00.000Z') / 1000,
    );
  });

  it('labels open findings with the highest severity the vulnerability data gives', async () => {
    f = await fixture();
    await f.service.store.write(async (db) => {
      await db
        .insertInto('vuln_sources')
        .values({
          id: 1,
          name: 'osv:test',
          kind: 'osv',
          location: 'test',
          digest: 'sha256:00',
          counts: '{}',
          imported_at: '2026-01-01T00:00:00Z',
        })
        .execute();
      await db
        .insertInto('vuln_vulnerabilities')
        .values({
          source_id: 1,
          id: 'CVE-2026-0002',
          summary: null,
          severity: 'HIGH',
          published: null,
          modified: null,
          reference_urls: '[]',
        })
        .execute();
    });
    const { samples } = parseExposition(await (await f.app.request('/metrics')).text());
    expect(samples.filter((s) => s.name === 'larder_open_findings').map((s) => s.labels)).toEqual([
      { image: 'greet', severity: 'high' },
    ]);
  });
});
