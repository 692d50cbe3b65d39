import {
  type ExposureWindow,
  exposureWindows,
  type ImageVersionRecord,
  type JobRecord,
  type JobStatus,
  latestImageVersions,
  listEvents,
  listImages,
  openFindings,
  type RecordedEvent,
} from '../../factory/index.js';
import type { FactoryService, FactoryStatus } from '../../factory/service.js';

/** How an image stands: published and clean, published with open findings, or its last compose blocked. */
export type ImageStanding = 'ok' | 'exposed-awaiting-fix' | 'blocked' | 'not-published';

export interface OverviewImage {
  readonly name: string;
  readonly latest?: ImageVersionRecord;
  readonly findings: number;
  readonly standing: ImageStanding;
  readonly problem?: string;
}

/** Everything the overview shows, read in one go. */
export interface Overview {
  readonly images: readonly OverviewImage[];
  readonly openFindings: number;
  readonly openWindows: readonly ExposureWindow[];
  readonly closedWindows: readonly ExposureWindow[];
  readonly queueCounts: Readonly<Record<JobStatus, number>>;
  readonly jobs: readonly JobRecord[];
  readonly status: FactoryStatus;
  readonly events: readonly RecordedEvent[];
}

const RECENT_CLOSED = 10;
const JOBS_PER_STATUS = 10;

/** The image's last compose outcome from the timeline: blocked when its newest publish/block event is a block. */
async function lastComposeBlocked(service: FactoryService, image: string): Promise<boolean> {
  const events = await listEvents(service.store, { subject: `image:${image}`, limit: 50 });
  const last = events.find((e) => e.kind === 'image-blocked' || e.kind === 'image-published');
  return last?.kind === 'image-blocked';
}

export async function loadOverview(service: FactoryService, now: string): Promise<Overview> {
  const store = service.store;
  const status = service.status();
  const [recorded, latest, findings, windows, queueCounts, events] = await Promise.all([
    listImages(store),
    latestImageVersions(store),
    openFindings(store),
    exposureWindows(store, now),
    service.queue.stats(),
    listEvents(store, { limit: 15 }),
  ]);
  const problems = new Map(service.workspace().images.map((i) => [i.name, i.problem]));
  const names = [...new Set([...recorded.map((i) => i.name), ...problems.keys()])].sort();
  const images: OverviewImage[] = [];
  for (const name of names) {
    const version = latest.find((v) => v.image === name);
    const count = findings.filter((f) => f.image === name).length;
    const standing: ImageStanding = (await lastComposeBlocked(service, name))
      ? 'blocked'
      : version === undefined
        ? 'not-published'
        : count > 0 || status.exposed.includes(name)
          ? 'exposed-awaiting-fix'
          : 'ok';
    const problem = problems.get(name);
    images.push({
      name,
      ...(version === undefined ? {} : { latest: version }),
      findings: count,
      standing,
      ...(problem === undefined ? {} : { problem }),
    });
  }
  const jobs: JobRecord[] = [];
  for (const s of ['running', 'pending', 'failed'] as const)
    jobs.push(...(await service.queue.list({ status: s, limit: JOBS_PER_STATUS })));
  return {
    images,
    openFindings: findings.length,
    openWindows: windows.filter((w) => w.open),
    closedWindows: windows
      .filter((w) => !w.open)
      .sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''))
      .slice(0, RECENT_CLOSED),
    queueCounts,
    jobs,
    status,
    events,
  };
}
