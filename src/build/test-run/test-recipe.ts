/**
 * `larder recipe test`: a recipe's `test:` sections run as melange's `test` command runs them —
 * for the main package and each subpackage that has one, a fresh workspace and a guest made of
 * the test's `environment.contents.packages` plus the package under test (resolved from the
 * test's own repositories then the given ones, where the built packages are), then its steps in the
 * sandbox. Every tested package gets a verdict; one failing does not stop the others.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isLarderError } from '../../core/index.js';
import type { Fetcher } from '../../repo/index.js';
import {
  type BuildPlan,
  compileRecipe,
  type PackagePlan,
  type PipelineLibrary,
  type TestPlan,
} from '../compile/index.js';
import { loadRecipe, recipeInvalid } from '../recipe/index.js';
import { type BuildEvent, populateWorkspace, runPlanSteps } from '../run/index.js';
import type { SandboxRunner } from '../sandbox/index.js';
import { type TestSources, testSourcesOf } from './test-contents.js';
import { failureOf } from './verdict.js';

/** Options of one `recipe test` run. */
export interface TestRecipeOptions {
  readonly recipe: string;
  /** Pipelines for `uses:` (directories searched before the built-ins). */
  readonly library: PipelineLibrary;
  readonly arch: string;
  readonly runner: SandboxRunner;
  /** Downloads for `fetch` steps in a test pipeline. */
  readonly fetcher: Fetcher;
  /** apk repositories holding the packages under test and the test environment's packages. */
  readonly repositories: readonly string[];
  readonly keyring: readonly string[];
  /** Copied into each test's workspace first (melange `--source-dir`); an empty workspace if absent. */
  readonly sourceDir?: string;
  readonly sourceDateEpoch?: number;
  /** Where the temporary workspaces are made; the system temp directory by default. */
  readonly workDir?: string;
  readonly onEvent?: (event: BuildEvent) => void;
  readonly signal?: AbortSignal;
}

/** The verdict on one package's test section. */
export type PackageVerdict =
  | { readonly package: string; readonly ok: true }
  | { readonly package: string; readonly ok: false; readonly step: string; readonly reason: string };

/** Every tested package, main package first; packages without a `test:` are not listed. */
export interface TestRecipeResult {
  readonly arch: string;
  readonly verdicts: readonly PackageVerdict[];
}

/**
 * Runs every test section of the recipe.
 * @throws LarderError RECIPE_INVALID (every problem placed); SANDBOX_UNAVAILABLE; an abort's
 *   reason. A failing step or a guest that cannot be resolved is a verdict, not an error.
 */
export async function testRecipe(options: TestRecipeOptions): Promise<TestRecipeResult> {
  const recipe = await loadRecipe(options.recipe);
  const compiled = compileRecipe(recipe, { library: options.library, arch: options.arch });
  if (compiled.plan === undefined) throw recipeInvalid(options.recipe, compiled.issues);
  const plan = compiled.plan;
  const verdicts: PackageVerdict[] = [];
  for (const pkg of plan.packages) {
    if (pkg.test === undefined) continue;
    options.signal?.throwIfAborted();
    verdicts.push(await testPackage(options, plan, pkg, pkg.test, testSourcesOf(recipe, pkg.name)));
  }
  return { arch: plan.arch, verdicts };
}

async function testPackage(
  options: TestRecipeOptions,
  plan: BuildPlan,
  pkg: PackagePlan,
  test: TestPlan,
  sources: TestSources,
): Promise<PackageVerdict> {
  const onEvent = options.onEvent ?? (() => {});
  const scratch = await mkdtemp(join(options.workDir ?? tmpdir(), 'larder-test-'));
  let step = 'environment';
  try {
    const workspace = join(scratch, 'home');
    await mkdir(workspace);
    if (options.sourceDir !== undefined) await populateWorkspace(resolve(options.sourceDir), workspace);
    const sandbox = await options.runner.prepare({
      workspace,
      arch: plan.arch,
      contents: {
        repositories: [...sources.repositories, ...options.repositories],
        keyring: [...sources.keyring, ...options.keyring],
        packages: test.packages,
      },
    });
    try {
      // The test pipeline runs as a one-package plan under the test's own environment variables.
      const testPlan: BuildPlan = {
        ...plan,
        environment: { ...plan.environment, env: test.environment },
        packages: [{ ...pkg, steps: test.steps }],
      };
      await runPlanSteps({
        plan: testPlan,
        sandbox,
        workspace,
        fetcher: options.fetcher,
        sourceDateEpoch: options.sourceDateEpoch ?? 0,
        onEvent: (event) => {
          if (event.kind === 'step') step = event.step;
          onEvent(event);
        },
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
    } finally {
      await sandbox.close();
    }
    return { package: pkg.name, ok: true };
  } catch (err) {
    if (options.signal?.aborted === true || isLarderError(err, 'SANDBOX_UNAVAILABLE') || !isLarderError(err))
      throw err;
    return { package: pkg.name, ok: false, step, reason: failureOf(err) };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
