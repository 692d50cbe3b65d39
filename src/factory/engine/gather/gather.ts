/** The gatherer: everything `planWork` reads, from the workspace, the repository, the store and the queue. */
import type { Store } from '../../../store/index.js';
import type { Queue, Workspace } from '../../model.js';
import type { PlanInput } from '../../plan/index.js';
import type { ImageResolver } from './image-resolver.js';
import { readImageStates } from './image-states.js';
import { readPublishedRepository } from './published-repository.js';
import { readRecordedJobs } from './recorded-jobs.js';

export interface GatherOptions {
  /** The workspace as loaded now (loadWorkspace). */
  readonly workspace: Workspace;
  readonly store: Store;
  readonly queue: Queue;
  readonly resolver: ImageResolver;
  /** The feed version now in use (refreshVulnData). */
  readonly feedVersion: string;
  /** ISO now. */
  readonly now: string;
}

/** What was gathered: the plan's input and the repository digest it saw. */
export interface Gathered {
  readonly input: PlanInput;
  readonly repositoryDigest: string;
}

/** Reads the plan's input. Throws only when the store or the repository index cannot be read. */
export async function gatherPlanInput(options: GatherOptions): Promise<Gathered> {
  const { workspace, store } = options;
  const repository = await readPublishedRepository(workspace, store);
  const recorded = await readRecordedJobs(options.queue);
  const images = await readImageStates(
    workspace,
    store,
    options.resolver,
    repository.digest,
    recorded.rescannedAt,
  );
  return {
    input: {
      workspace,
      repository: repository.packages,
      jobs: recorded.jobs,
      images,
      feedVersion: options.feedVersion,
      schedule: { now: options.now, lastUpdateCheckAt: recorded.lastUpdateCheckAt },
    },
    repositoryDigest: repository.digest,
  };
}
