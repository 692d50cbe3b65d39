/** The reconciler's plan: desired state against recorded state, as jobs (docs/factory.md "Planning"). */
import { LarderError } from '../../core/index.js';
import { planBuilds } from './builds.js';
import { recipeGraph } from './graph.js';
import { planImages } from './images.js';
import type { PlanInput } from './input.js';
import { RecordIndex } from './records.js';
import { indexRepository } from './repository.js';
import type { PlanResult } from './result.js';
import { PlanSink } from './sink.js';
import { summarize } from './summary.js';
import { planUpdateChecks } from './update-checks.js';

/**
 * Computes the jobs that bring the recorded state to the desired one. Pure: the same input gives
 * the same result, in the same order.
 *
 * 1. Builds. A recipe without problems needs `build:<name>@<ver>-r<epoch>/<arch>#<hash12>` on each
 *    of its archs when the repository lacks that version there, or holds it from another recipe
 *    hash (the recipe changed), or when a recipe it build-depends on (through `provides` names) is
 *    built in this plan, is in flight, or was built after it: what depends on it at build time is
 *    rebuilt, transitively. A rebuild for build-deps alone keeps the version and takes the key
 *    `…#<hash12>.<deps12>` (digest of the rebuilt build-deps), so it does not collide with the
 *    build that already succeeded. `after` holds the build-deps' keys planned or in flight.
 *    Recipes of a build-dependency cycle are each reported as a problem and none is built; a
 *    recipe needing a name it provides itself bootstraps from the repository (no cycle). A build
 *    whose workspace build-dep has no package for its arch and none coming is held.
 * 2. A key whose last run failed for good (status `failed`) is not planned again while its inputs
 *    are unchanged (new inputs give a new key); it is reported as blocked. Keys pending or running
 *    are reported in flight, not planned again.
 * 3. Images. While any build is planned, pending or running, no compose is planned (the next
 *    reconcile, once builds settle, composes against the new repository). Otherwise an image
 *    needs `compose:<image>@<lock12>#<config12>` when it was never published or its resolved lock
 *    or config hash differs from the published one. A compose that failed under an older feed
 *    version is retried. Composes of exposed images (awaiting a fix) go first.
 * 4. `rescan:<image>@<digest12>#<feed-version>` for each published image scanned with another feed
 *    version; on the rescan schedule, `…@<slot>` when its last scan is older than the period's
 *    start. `update-check:<recipe>@<slot>` per recipe with an update source not checked since
 *    the update period's start.
 * 5. Output order: builds (build-deps first), composes, rescans, update checks, each by name; no
 *    key twice. `reasons` and `summary` say why each job is there.
 *
 * Throws LarderError `USAGE` when `schedule.now` is not a time.
 */
export function planWork(input: PlanInput): PlanResult {
  const nowMs = Date.parse(input.schedule.now);
  if (Number.isNaN(nowMs)) {
    throw new LarderError(
      'USAGE',
      `plan: schedule.now is not an ISO time: ${JSON.stringify(input.schedule.now)}`,
    );
  }
  const { workspace } = input;
  const records = new RecordIndex(input.jobs);
  const sink = new PlanSink();
  planBuilds(
    {
      recipes: workspace.recipes,
      graph: recipeGraph(workspace.recipes),
      repository: indexRepository(input.repository),
      records,
    },
    sink,
  );
  const plannedBuilds = sink.jobs.length;
  planImages(
    {
      images: workspace.images,
      states: input.images,
      records,
      feedVersion: input.feedVersion,
      unsettledBuilds: plannedBuilds + records.unsettledBuilds(),
      nowMs,
      rescanMs: workspace.config.schedules.rescanMs,
    },
    sink,
  );
  planUpdateChecks(
    {
      recipes: workspace.recipes,
      lastCheckAt: input.schedule.lastUpdateCheckAt,
      records,
      nowMs,
      periodMs: workspace.config.schedules.updateCheckMs,
    },
    sink,
  );
  const result = {
    jobs: sink.jobs,
    reasons: sink.reasons,
    inFlight: sink.inFlight,
    blocked: sink.blocked,
    held: sink.held,
    problems: sink.problems,
    exposed: sink.exposed,
  };
  return { ...result, summary: summarize(result) };
}
