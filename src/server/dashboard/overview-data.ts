import {
  type ExposureWindow,
  exposureWindows,
  type FactoryService,
  type FactoryStatus,
  type ImageVersionRecord,
  type JobRecord,
  type JobStatus,
  latestImageVersions,
  listEvents,
  listImages,
  openFindings,
  type RecordedEvent,
} from '../../factory/index.js';

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

const OUTCOME_EVENTS = 1000;

/**
 * Images whose newest compose outcome on the timeline is `image-blocked` rather than
 * `image-published` (two reads, whatever the number of images; outcomes older than the last
 * OUTCOME_EVENTS of each kind are not looked at).
 */
async function blockedImages(service: FactoryService): Promise<Set<string>> {
  const [blocked, published] = await Promise.all([
    listEvents(service.store, { kind: 'image-blocked', limit: OUTCOME_EVENTS }),
    listEvents(service.store, { kind: 'image-published', limit: OUTCOME_EVENTS }),
  ]);
  const newest = (events: readonly RecordedEvent[]): Map<string, number> => {
    const ids = new Map<string, number>();
    for (const e of events) if (!ids.has(e.subject)) ids.set(e.subject, e.id);
    return ids;
  };
  const lastPublished = newest(published);
  const names = new Set<string>();
  for (const [subject, id] of newest(blocked))
    if (subject.startsWith('image:') && id > (lastPublished.get(subject) ?? 0)) names.add(subject.slice(6));
  return names;
}

export async function loadOverview(service: FactoryService, now: string): Promise<Overview> {
  const store = service.store;
  const status = service.status();
  const [recorded, latest, findings, windows, queueCounts, events, blocked] = await Promise.all([
    listImages(store),
    latestImageVersions(store),
    openFindings(store),
    exposureWindows(store, now),
    service.queue.stats(),
    listEvents(store, { limit: 15 }),
    blockedImages(service),
  ]);
  const problems = new Map(service.workspace().images.map((i) => [i.name, i.problem]));
  const names = [...new Set([...recorded.map((i) => i.name), ...problems.keys()])].sort();
  const images: OverviewImage[] = [];
  for (const name of names) {
    const version = latest.find((v) => v.image === name);
    const count = findings.filter((f) => f.image === name).length;
    const standing: ImageStanding = blocked.has(name)
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
