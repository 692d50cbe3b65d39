/**
 * The reconciler (docs/factory.md "Running (engine)"): gather → plan → enqueue → status and
 * events. Level-triggered: every wake-up computes the whole difference again, so a missed or
 * repeated trigger is harmless. One reconcile runs at a time; wakes during a run schedule exactly
 * one more.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JobSpec, Workspace } from '../model.js';
import { planWork } from '../plan/index.js';
import type { FactoryStatus } from '../service.js';
import { gatherPlanInput } from './gather/gather.js';
import type { ReconcileOutcome, Reconciler, ReconcilerOptions } from './reconciler-types.js';
import { diffSnapshots, type ReconcileSnapshot } from './snapshot.js';

export type { ReconcileOutcome, Reconciler, ReconcilerOptions, RefreshFeed } from './reconciler-types.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function contentHash(file: string): Promise<string> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return 'missing';
  }
}

/** `sha256` of the advisory files and the feed list: when it changes, the feed is refreshed. */
async function advisoryHashes(workspace: Workspace): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of workspace.advisoryFiles) out[file] = await contentHash(file);
  return out;
}

/** The compose payload carries the feed version it was planned under (a failed gate retries under a newer one). */
function withFeedVersion(jobs: readonly JobSpec[], feedVersion: string): JobSpec[] {
  return jobs.map((job) =>
    job.kind === 'compose' ? { ...job, payload: { ...job.payload, feedVersion } } : job,
  );
}

export function createReconciler(options: ReconcilerOptions): Reconciler {
  let current: Workspace | undefined;
  let snapshot: ReconcileSnapshot | undefined;
  let status: FactoryStatus = { summary: [], problems: [], exposed: [], feedVersion: '' };
  let feed: { feedVersion: string; problems: readonly string[]; inputs: string } | undefined;
  let lastOutcome: ReconcileOutcome | undefined;
  let runs = 0;
  const recent: string[] = [];
  let running: Promise<void> | undefined;
  let again = false;
  let feedDue = true;
  let closed = false;
  const reasons = new Set<string>();
  const waiters: (() => void)[] = [];
  // Until the first reconcile ends, the status is the one saved by the last run (after a restart).
  void options.snapshots.load().then(
    (saved) => {
      if (saved !== undefined && runs === 0) status = saved.status;
    },
    () => {},
  );

  const once = async (why: readonly string[]): Promise<void> => {
    const previous = snapshot ?? (await options.snapshots.load());
    let workspace: Workspace;
    const problems: string[] = [];
    try {
      workspace = await options.loadWorkspace();
      current = workspace;
    } catch (error) {
      if (current === undefined) throw error;
      workspace = current;
      problems.push(`workspace: ${messageOf(error)} (planning with the workspace as last loaded)`);
    }
    const advisories = await advisoryHashes(workspace);
    const feedInputs = JSON.stringify([advisories, workspace.config.feeds]);
    if (feed === undefined || feedDue || feed.inputs !== feedInputs) {
      feedDue = false;
      const refreshed = await options.refreshFeed(workspace);
      feed = { feedVersion: refreshed.feedVersion, problems: refreshed.problems ?? [], inputs: feedInputs };
    }
    const { input } = await gatherPlanInput({
      workspace,
      store: options.store,
      queue: options.queue,
      resolver: options.resolver,
      feedVersion: feed.feedVersion,
      now: options.now(),
    });
    const plan = planWork(input);
    const enqueued =
      plan.jobs.length === 0
        ? { added: [] as string[] }
        : await options.queue.enqueue(withFeedVersion(plan.jobs, feed.feedVersion));
    const at = options.now();
    status = {
      reconciledAt: at,
      summary: plan.summary.split('\n'),
      problems: [
        ...problems,
        ...feed.problems.map((p) => `advisories: ${p}`),
        ...plan.problems.map((p) => `${p.subject}: ${p.message}`),
      ],
      exposed: plan.exposed,
      feedVersion: feed.feedVersion,
    };
    const next: ReconcileSnapshot = {
      recipes: Object.fromEntries(workspace.recipes.map((r) => [r.name, r.hash])),
      advisories,
      feedVersion: feed.feedVersion,
      exposed: [...plan.exposed],
      status,
    };
    const events = previous === undefined ? [] : diffSnapshots(previous, next, at, workspace.root);
    for (const event of events) await options.emit(event);
    snapshot = next;
    await options.snapshots.save(next);
    lastOutcome = { plan, added: enqueued.added, reasons: why, events };
    if (enqueued.added.length > 0) options.onEnqueued?.(enqueued.added);
  };

  const loop = async (): Promise<void> => {
    try {
      do {
        again = false;
        const why = [...reasons];
        reasons.clear();
        recent.push(...why);
        recent.splice(0, Math.max(0, recent.length - 100));
        runs++;
        try {
          await once(why);
        } catch (error) {
          status = { ...status, problems: [`reconcile failed: ${messageOf(error)}`, ...status.problems] };
          options.onError?.(error);
        }
      } while (again && !closed);
    } finally {
      running = undefined;
      for (const resolve of waiters.splice(0)) resolve();
    }
  };

  const idle = (): Promise<void> =>
    running === undefined ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));

  const wake = (reason: string): void => {
    if (closed) return;
    reasons.add(reason);
    if (reason.startsWith('feed') || reason.startsWith('advisory')) feedDue = true;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = loop();
  };

  return {
    wake,
    async reconcile(reason = 'requested') {
      wake(reason);
      await idle();
    },
    idle,
    status: () => status,
    workspace: () => current,
    last: () => lastOutcome,
    runs: () => runs,
    recentReasons: () => [...recent],
    async acknowledgeAdvisoryFile(file) {
      // Before any snapshot the first reconcile is the baseline and reports nothing anyway.
      const base = snapshot ?? (await options.snapshots.load());
      if (base !== undefined)
        snapshot = { ...base, advisories: { ...base.advisories, [file]: await contentHash(file) } };
    },
    async close() {
      closed = true;
      await idle();
    },
  };
}
