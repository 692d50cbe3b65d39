/**
 * The `build` job body (docs/factory.md "Jobs"): builds one recipe for one arch in the sandbox,
 * into a temporary directory, and hands the packages to the publisher. Records the build in
 * `factory_builds` (running, then succeeded or failed with the error); a failure also appends a
 * `build-failed` event. A broken recipe or a failing step is not retryable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadApkSigningKey } from '../../../apk/index.js';
import {
  buildRecipe,
  createBubblewrapRunner,
  pipelineLibrary,
  type SandboxRunner,
} from '../../../build/index.js';
import { isLarderError, LarderError, type LarderErrorCode } from '../../../core/index.js';
import { createFetcher, type Fetcher } from '../../../repo/index.js';
import type { JobRecord } from '../../model.js';
import { type JobBody, type JobContext, notRetryable } from '../../service.js';
import { appendEvent, recordBuild } from '../../state/index.js';
import { buildLogLine, buildSources, recipeSourceDir, sourceDateEpochOf } from './build-inputs.js';
import { type BuildPayload, buildPayload } from './payload.js';

/** What a runner factory is given (the default makes bubblewrap over a package root). */
export interface RunnerParts {
  readonly fetcher: Fetcher;
  readonly stateDir: string;
  readonly sourceDateEpoch: number;
  readonly log: (line: string) => void;
}

export interface BuildJobOptions {
  /** Makes the sandbox runner; bubblewrap over a package root by default. */
  readonly runner?: (parts: RunnerParts) => SandboxRunner;
  /** The SBOM's tool line, e.g. `larder (0.1.0)`. */
  readonly tool?: string;
  /** SOURCE_DATE_EPOCH comes from here (process.env by default). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Failures another attempt cannot fix: the recipe, its pipelines, its steps or its sources are wrong. */
const FINAL: readonly LarderErrorCode[] = [
  'RECIPE_INVALID',
  'PIPELINE_INVALID',
  'STEP_FAILED',
  'SOURCE_CHECKSUM_MISMATCH',
  'SOURCE_COMMIT_MISMATCH',
  'VERSION_INVALID',
  'JOB_INVALID',
  'PACKAGE_INVALID',
];

/** The bubblewrap runner the CLI's `build` uses, warnings to the job log. */
export function packageRootRunner(parts: RunnerParts): SandboxRunner {
  return createBubblewrapRunner({
    mode: 'package',
    fetcher: parts.fetcher,
    stateDir: parts.stateDir,
    sourceDateEpoch: parts.sourceDateEpoch,
    onWarning: (message) => parts.log(`warning: ${message}`),
  });
}

/** A build body with its runner and tool line chosen. */
export function createBuildJob(options: BuildJobOptions = {}): JobBody {
  const makeRunner = options.runner ?? packageRootRunner;
  return async (job, context) => {
    const payload = buildPayload(job);
    const started = performance.now();
    const record = {
      key: job.key,
      recipe: payload.recipe,
      version: `${payload.version}-r${payload.epoch}`,
      arch: payload.arch,
      recipeHash: payload.recipeHash,
      startedAt: context.now(),
    };
    await recordBuild(context.store, { ...record, status: 'running' });
    try {
      const packages = await buildAndPublish(job, payload, context, makeRunner, options);
      await recordBuild(context.store, { ...record, status: 'succeeded', finishedAt: context.now() });
      return { packages, arch: payload.arch, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      const failure = classified(err, context.signal);
      const at = context.now();
      await recordBuild(context.store, {
        ...record,
        status: 'failed',
        finishedAt: at,
        error: failure.message,
      });
      await appendEvent(context.store, {
        at,
        kind: 'build-failed',
        subject: `recipe:${payload.recipe}`,
        message: `build of ${payload.recipe} ${record.version} (${payload.arch}) failed: ${failure.message}`,
        details: { key: job.key, version: record.version, arch: payload.arch, error: failure.message },
      });
      throw failure;
    }
  };
}

/** The build body with the bubblewrap runner. */
export const buildJob: JobBody = createBuildJob();

async function buildAndPublish(
  job: JobRecord,
  payload: BuildPayload,
  context: JobContext,
  makeRunner: (parts: RunnerParts) => SandboxRunner,
  options: BuildJobOptions,
): Promise<Array<{ name: string; version: string }>> {
  const recipe = context.workspace.recipes.find((r) => r.name === payload.recipe);
  if (recipe === undefined)
    throw new LarderError('JOB_INVALID', `recipe ${payload.recipe} is no longer in the workspace`, {
      subject: payload.file,
    });
  if (recipe.problem !== undefined)
    throw new LarderError('RECIPE_INVALID', `${recipe.file}: ${recipe.problem}`, { subject: recipe.file });
  if (recipe.version !== payload.version || recipe.epoch !== payload.epoch)
    throw new LarderError(
      'JOB_INVALID',
      `${recipe.file}: the recipe is now ${recipe.version}-r${recipe.epoch}, not ${payload.version}-r${payload.epoch} as planned`,
      { subject: recipe.file },
    );
  const config = context.workspace.config;
  const epoch = sourceDateEpochOf(options.env ?? process.env);
  const sources = await buildSources(config, payload.arch);
  const sourceDir = await recipeSourceDir(recipe.file, recipe.name);
  const signKey = await loadApkSigningKey(config.repository.signingKey);
  const fetcher = createFetcher({ stateDir: context.stateDir });
  const outDir = await mkdtemp(join(tmpdir(), 'larder-factory-build-'));
  try {
    const runner = makeRunner({
      fetcher,
      stateDir: context.stateDir,
      sourceDateEpoch: epoch,
      log: context.log,
    });
    context.log(`building ${recipe.name} ${payload.version}-r${payload.epoch} for ${payload.arch}`);
    const built = await buildRecipe({
      signal: context.signal,
      recipe: recipe.file,
      library: pipelineLibrary([]),
      arch: payload.arch,
      runner,
      fetcher,
      outDir,
      signKey,
      sourceDateEpoch: epoch,
      ...(options.tool !== undefined ? { tool: options.tool } : {}),
      onEvent: (event) => context.log(buildLogLine(event)),
      ...(sourceDir !== undefined ? { sourceDir } : { emptyWorkspace: true }),
      extraRepositories: sources.repositories,
      extraKeyring: sources.keyring,
    });
    if (built.skipped !== undefined) context.log(`skipped: ${built.skipped}`);
    const files = built.packages.map((p) => ({ fileName: basename(p.path), path: p.path }));
    const published = await context.publisher.publish(payload.arch, files, {
      key: job.key,
      recipe: recipe.name,
    });
    for (const p of published) context.log(`published ${p.name}-${p.version} (${p.arch})`);
    return published.map((p) => ({ name: p.name, version: p.version }));
  } finally {
    await rm(outDir, { recursive: true, force: true });
    await fetcher.close();
  }
}

/** The error to fail the job with: a LarderError, marked not retryable for recipe and step failures. */
function classified(err: unknown, signal: AbortSignal): LarderError {
  const error = isLarderError(err)
    ? err
    : new LarderError('IO', err instanceof Error ? err.message : String(err), { cause: err });
  if (!signal.aborted && isLarderError(error, ...FINAL)) return notRetryable(error);
  return error;
}
