/**
 * The `update-check` job body (docs/factory.md "Jobs"): asks the recipe's `update:` source for
 * releases, and when one is newer than the recipe (apk version ordering) bumps the recipe in the
 * workspace (version set, epoch 0, source checksums refreshed; written atomically) and appends an
 * `upstream-release` event for a person to review. The check time is the job's `finishedAt`.
 */
import { compareVersions } from '../../../apk/index.js';
import { bumpRecipe, compileRecipeFile, loadRecipe, pipelineLibrary } from '../../../build/index.js';
import { isLarderError, LarderError } from '../../../core/index.js';
import { createFetcher, type Fetcher } from '../../../repo/index.js';
import { type JobBody, type JobContext, notRetryable } from '../../service.js';
import { appendEvent } from '../../state/index.js';
import { gitTags } from './git-tags.js';
import { updateCheckPayload } from './payload.js';
import { releaseMonitorVersions } from './release-monitor.js';
import { type UpdateSource, updateSourceOf } from './update-source.js';
import { newestVersion } from './version-rules.js';

export interface UpdateCheckJobOptions {
  /** LARDER_RELEASE_MONITOR_URL and LARDER_GITHUB_URL are read from here (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
}

/** An update-check body reading its overrides from `options.env`. */
export function createUpdateCheckJob(options: UpdateCheckJobOptions = {}): JobBody {
  return async (job, context) => {
    const payload = updateCheckPayload(job);
    const recipe = context.workspace.recipes.find((r) => r.name === payload.recipe);
    if (recipe === undefined)
      throw final('JOB_INVALID', `recipe ${payload.recipe} is no longer in the workspace`, payload.file);
    if (recipe.problem !== undefined)
      throw final('RECIPE_INVALID', `${recipe.file}: ${recipe.problem}`, recipe.file);
    const update = (await loadRecipe(recipe.file)).spec.update;
    if (update === undefined)
      throw final('RECIPE_INVALID', `${recipe.file}: the recipe has no update: section`, recipe.file);
    const arch = context.workspace.config.repository.archs[0] ?? 'x86_64';
    const library = pipelineLibrary([]);
    const plan = await compileRecipeFile(recipe.file, { library, arch });
    const source = updateSourceOf(recipe.file, update, plan, options.env ?? process.env);
    const current = plan.package.version;
    const fetcher = createFetcher({ stateDir: context.stateDir });
    try {
      const names = await upstreamNames(source, fetcher, context);
      const newest = newestVersion(names, source.rules);
      context.log(`${where(source)}: ${names.length} name(s), newest version ${newest?.version ?? 'none'}`);
      if (newest === undefined || compareVersions(newest.version, current) <= 0) {
        context.log(`${recipe.name} ${current} is up to date`);
        return { current, latest: newest?.version ?? null, bumped: false };
      }
      const bumped = await bumpRecipe({
        recipe: recipe.file,
        version: newest.version,
        fetcher,
        library,
        arch,
      });
      for (const change of bumped.changes) context.log(`bumped ${change}`);
      await appendEvent(context.store, {
        at: context.now(),
        kind: 'upstream-release',
        subject: `recipe:${recipe.name}`,
        message: `${recipe.name}: upstream released ${newest.version} (was ${current}); the recipe is bumped for review`,
        details: {
          previous: current,
          latest: newest.version,
          upstream: newest.name,
          source: where(source),
          changes: [...bumped.changes],
        },
      });
      return { current, latest: newest.version, bumped: true };
    } catch (err) {
      // A checksum that no longer matches, or a version bump cannot make sense of: a person looks.
      if (!context.signal.aborted && isLarderError(err, 'RECIPE_INVALID', 'VERSION_INVALID', 'USAGE'))
        throw notRetryable(err);
      throw err;
    } finally {
      await fetcher.close();
    }
  };
}

/** The update-check body. */
export const updateCheckJob: JobBody = createUpdateCheckJob();

function upstreamNames(source: UpdateSource, fetcher: Fetcher, context: JobContext): Promise<string[]> {
  if (source.kind === 'release-monitor')
    return releaseMonitorVersions(fetcher, source.url, {
      prerelease: source.rules.prerelease,
      signal: context.signal,
    });
  return gitTags(source.repository, context.signal);
}

function where(source: UpdateSource): string {
  return source.kind === 'release-monitor'
    ? `release-monitor ${source.url}`
    : `${source.kind} ${source.repository}`;
}

function final(code: 'JOB_INVALID' | 'RECIPE_INVALID', message: string, subject: string): LarderError {
  return notRetryable(new LarderError(code, message, { subject }));
}
