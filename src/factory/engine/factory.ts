/**
 * `createFactory`: the embedded factory `larder serve` runs. The reconciler plans, the runner
 * runs jobs in-process, triggers wake the reconciler, and the FactoryService seam gives the
 * server its reads, events, job logs, security.json and advisory edits.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { refreshVulnData, secdbOf } from '../feed/index.js';
import { buildJob } from '../jobs/build/index.js';
import { composeJob } from '../jobs/compose/index.js';
import { createLocalPublisher } from '../jobs/publisher/index.js';
import { rescanJob } from '../jobs/rescan/index.js';
import { updateCheckJob } from '../jobs/update-check/index.js';
import type { JobKind, JobRecord } from '../model.js';
import { createStoreQueue } from '../queue/index.js';
import type { JobBodies, PackagePublisher } from '../service.js';
import { readJobLog } from '../state/index.js';
import { loadWorkspace } from '../workspace/index.js';
import { writeAdvisory } from './advisory-save.js';
import { createEventFeed } from './event-feed.js';
import type { CreateFactoryOptions, Factory } from './factory-options.js';
import { createImageResolver, lockHashResolver } from './gather/image-resolver.js';
import { createReconciler } from './reconciler.js';
import { type JobOutcome, type JobRunner, runJobs } from './runner.js';
import { fileSnapshots } from './snapshot.js';
import { watchQueue } from './triggers/queue-watch.js';
import { feedTimer, scheduleTimer } from './triggers/timers.js';
import { type Trigger, watchWorkspace } from './triggers/workspace-watch.js';

export type { CreateFactoryOptions, Factory } from './factory-options.js';

/** Every job kind, in the order the runner asks for them. */
export const JOB_KINDS: readonly JobKind[] = ['build', 'compose', 'rescan', 'update-check'];

/** The real job bodies (src/factory/jobs). */
export const DEFAULT_JOB_BODIES: JobBodies = {
  build: buildJob,
  compose: composeJob,
  rescan: rescanJob,
  'update-check': updateCheckJob,
};

function subjectOf(job: JobRecord): string {
  const p = job.payload;
  if (typeof p.recipe === 'string') return `recipe:${p.recipe}`;
  if (typeof p.image === 'string') return `image:${p.image}`;
  return `job:${job.key}`;
}

/** Starts the factory: loads the workspace (throws when larder.yaml does not load), reconciles, runs jobs. */
export async function createFactory(options: CreateFactoryOptions): Promise<Factory> {
  const { store, stateDir } = options;
  const clock = options.clock ?? Date.now;
  const now = (): string => new Date(clock()).toISOString();
  const onError = options.onError ?? (() => {});
  const pollMs = options.pollMs ?? 5000;
  const queue = options.queue ?? createStoreQueue(store, { clock });
  const load = () => loadWorkspace(options.workspaceDir);
  let workspace = await load();
  const events = await createEventFeed(store, { pollMs, onError });

  let localPublisher: { key: string; publisher: PackagePublisher } | undefined;
  const publisher: PackagePublisher = options.publisher ?? {
    publish(arch, files, build) {
      const key = JSON.stringify(workspace.config.repository);
      if (localPublisher?.key !== key)
        localPublisher = { key, publisher: createLocalPublisher(workspace, store, { now }) };
      return localPublisher.publisher.publish(arch, files, build);
    },
  };

  let runner: JobRunner | undefined;
  const reconciler = createReconciler({
    store,
    queue,
    loadWorkspace: async () => {
      workspace = await load();
      return workspace;
    },
    refreshFeed:
      options.refreshFeed ??
      (async (ws) => {
        const data = await refreshVulnData(ws, store, { stateDir, now });
        return { feedVersion: data.feedVersion, problems: data.problems };
      }),
    resolver: createImageResolver(options.lockHashOf ?? lockHashResolver(stateDir)),
    now,
    emit: async (event) => {
      await events.emit(event);
    },
    snapshots: fileSnapshots(stateDir, snapshotScope(options.workspaceDir, store.location)),
    onEnqueued: () => runner?.poke(),
    onError,
  });

  const jobEnded = (job: JobRecord, outcome: JobOutcome): void => {
    if (outcome.status === 'failed' && job.kind !== 'build')
      void events
        .emit({
          at: now(),
          kind: 'job-failed',
          subject: subjectOf(job),
          message: `${job.key} failed: ${outcome.error ?? 'unknown error'}`,
          details: { key: job.key, kind: job.kind },
        })
        .catch(onError);
    reconciler.wake(`job ${outcome.status}: ${job.key}`);
  };

  if (options.runJobs !== false)
    runner = runJobs({
      queue,
      bodies: options.bodies ?? DEFAULT_JOB_BODIES,
      kinds: JOB_KINDS,
      concurrency: options.concurrency ?? 2,
      leaseMs: options.leaseMs ?? 60_000,
      worker: `embedded-${hostname()}-${process.pid}`,
      store,
      now,
      ...(options.runnerPollMs === undefined ? {} : { pollMs: options.runnerPollMs }),
      contextFor: (_job, parts) => ({
        workspace,
        store,
        publisher,
        signal: parts.signal,
        log: parts.log,
        stateDir,
        now,
        worker: 'embedded',
      }),
      onJobEnd: jobEnded,
      onError,
    });

  const wake = (reason: string): void => reconciler.wake(reason);
  const triggers: Trigger[] = [
    watchWorkspace({
      root: options.workspaceDir,
      wake,
      pollMs,
      ...(options.watch === false ? { watch: false } : {}),
    }),
    scheduleTimer({ workspace: () => workspace, wake, clock }),
    feedTimer({ periodMs: options.feedRefreshMs ?? 3_600_000, wake }),
    // Jobs run by workers in other processes end in the queue only (pollMs 0: no polling).
    ...(pollMs > 0 ? [watchQueue({ queue, wake, pollMs: Math.min(pollMs, 1000), onError })] : []),
  ];
  reconciler.wake('start');

  let saving: Promise<unknown> = Promise.resolve();
  let closed = false;

  return {
    store,
    queue,
    publisher,
    reconciler,
    runner,
    workspace: () => workspace,
    status: () => reconciler.status(),
    wake,
    onEvent: (listener) => events.subscribe(listener),
    jobLog: (key, afterSeq) => readJobLog(store, key, afterSeq),
    securityJson: () => (options.securityJson ?? secdbOf)(workspace, store),
    saveAdvisory(input) {
      // One edit at a time: the advisory writer refuses a file changed under it.
      const run = saving.then(async () => {
        const added = await writeAdvisory(workspace.root, input, now());
        await reconciler.acknowledgeAdvisoryFile(added.file);
        await events.emit({
          at: now(),
          kind: 'advisory-changed',
          subject: `vuln:${input.vulnerability}`,
          message: `${input.package}: ${input.type} recorded for ${input.vulnerability} (${added.id})`,
          details: { package: input.package, advisory: added.id, type: input.type, file: added.file },
        });
        reconciler.wake(`advisory saved: ${input.package} ${input.vulnerability}`);
      });
      saving = run.catch(() => {});
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const trigger of triggers) trigger.close();
      await reconciler.close();
      await runner?.close();
      await saving;
      await events.poll();
      events.close();
    },
  };
}

/** One state dir may serve several factories: their snapshots are kept apart by workspace and store. */
function snapshotScope(workspaceDir: string, storeLocation: string): string {
  return createHash('sha256')
    .update(`${resolve(workspaceDir)}\u0000${storeLocation}`)
    .digest('hex')
    .slice(0, 16);
}
