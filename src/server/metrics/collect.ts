/**
 * `GET /metrics`: the factory as Prometheus gauges, histograms and summaries, computed from the
 * recorded state on each scrape.
 */
import type { FactoryService, JobKind, JobRecord, JobStatus } from '../../factory/index.js';
import { exposureWindows, listBuilds, openFindings } from '../../factory/index.js';
import type { Store } from '../../store/index.js';
import { formatMetrics, histogramSamples, type MetricFamily, type Sample } from './exposition.js';

const KINDS: readonly JobKind[] = ['build', 'compose', 'rescan', 'update-check'];
const STATUSES: readonly JobStatus[] = ['pending', 'running', 'succeeded', 'failed'];
/** Seconds: builds and composes take from seconds to an hour. */
const DURATION_BOUNDS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const SEVERITY_RANK = ['unknown', 'negligible', 'low', 'medium', 'moderate', 'high', 'important', 'critical'];

const seconds = (from: string, to: string): number => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** The highest severity any vulnerability source gives each id (`unknown` when none does). */
async function severities(store: Store, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows = await store.db
    .selectFrom('vuln_vulnerabilities')
    .select(['id', 'severity'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const r of rows) {
    const s = r.severity.toLowerCase();
    const prev = out.get(r.id);
    if (prev === undefined || SEVERITY_RANK.indexOf(s) > SEVERITY_RANK.indexOf(prev)) out.set(r.id, s);
  }
  return out;
}

async function jobCounts(service: FactoryService): Promise<Sample[]> {
  const counts = new Map<string, number>(
    KINDS.flatMap((k) => STATUSES.map((s) => [`${k} ${s}`, 0] as const)),
  );
  const jobs: JobRecord[] = await service.queue.list();
  for (const j of jobs) counts.set(`${j.kind} ${j.status}`, (counts.get(`${j.kind} ${j.status}`) ?? 0) + 1);
  return [...counts].map(([ks, value]) => {
    const [kind, status] = ks.split(' ') as [string, string];
    return { labels: { kind, status }, value };
  });
}

export async function collectMetrics(
  service: FactoryService,
  now: string = new Date().toISOString(),
): Promise<string> {
  const store = service.store;
  const [jobs, builds, composes, findings, windows] = await Promise.all([
    jobCounts(service),
    listBuilds(store, { status: 'succeeded' }),
    service.queue.list({ kind: 'compose', status: 'succeeded' }),
    openFindings(store),
    exposureWindows(store, now),
  ]);
  const severityOf = await severities(
    store,
    findings.map((f) => f.vulnId),
  );
  const byImageSeverity = new Map<string, number>();
  for (const f of findings) {
    const k = JSON.stringify([f.image, severityOf.get(f.vulnId) ?? 'unknown']);
    byImageSeverity.set(k, (byImageSeverity.get(k) ?? 0) + 1);
  }
  const buildsByArch = new Map<string, number[]>();
  for (const b of builds)
    if (b.finishedAt !== undefined) {
      const list = buildsByArch.get(b.arch) ?? [];
      list.push(seconds(b.startedAt, b.finishedAt));
      buildsByArch.set(b.arch, list);
    }
  const composeSeconds = composes.flatMap((j) =>
    j.startedAt !== undefined && j.finishedAt !== undefined ? [seconds(j.startedAt, j.finishedAt)] : [],
  );
  const closed = windows.filter((w) => !w.open).map((w) => w.durationMs / 1000);
  const reconciledAt = service.status().reconciledAt;
  const families: MetricFamily[] = [
    { name: 'larder_jobs', help: 'Jobs in the queue by kind and status.', type: 'gauge', samples: jobs },
    {
      name: 'larder_build_duration_seconds',
      help: 'Wall time of succeeded builds, by arch.',
      type: 'histogram',
      samples: [...buildsByArch]
        .sort()
        .flatMap(([arch, v]) => histogramSamples(v, DURATION_BOUNDS, { arch })),
    },
    {
      name: 'larder_compose_duration_seconds',
      help: 'Wall time of succeeded compose jobs (resolve, build, scan, sign, push).',
      type: 'histogram',
      samples: histogramSamples(composeSeconds, DURATION_BOUNDS),
    },
    {
      name: 'larder_open_findings',
      help: 'Unresolved findings (open or awaiting a fix) by image and highest known severity.',
      type: 'gauge',
      samples: [...byImageSeverity].sort().map(([k, value]) => {
        const [image, severity] = JSON.parse(k) as [string, string];
        return { labels: { image, severity }, value };
      }),
    },
    {
      name: 'larder_exposure_open_seconds',
      help: 'How long each image has been exposed to each vulnerability still open.',
      type: 'gauge',
      samples: windows
        .filter((w) => w.open)
        .map((w) => ({ labels: { image: w.image, vulnerability: w.vulnId }, value: w.durationMs / 1000 })),
    },
    {
      name: 'larder_exposure_closed_seconds',
      help: 'Exposure windows closed by a published fix (first seen to the first version without it).',
      type: 'summary',
      samples: [
        { suffix: '_sum', value: closed.reduce((a, b) => a + b, 0) },
        { suffix: '_count', value: closed.length },
      ],
    },
  ];
  if (reconciledAt !== undefined)
    families.push({
      name: 'larder_last_reconcile_timestamp_seconds',
      help: 'When the reconciler last finished (Unix time).',
      type: 'gauge',
      samples: [{ value: Date.parse(reconciledAt) / 1000 }],
    });
  return formatMetrics(families);
}
