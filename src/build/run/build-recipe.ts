/**
 * `larder build`: one recipe from YAML to published packages, as melange's `Build.BuildPackage`
 * orders it — compile, populate a fresh workspace, prepare the guest, run the main pipeline and
 * each subpackage's, emit every package (SBOM, automatic dependencies, signature), then publish
 * them into `REPO/ARCH/` with its signed index. Nothing is published unless every step passed
 * and every package was emitted.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ApkSigningKey } from '../../apk/index.js';
import type { Fetcher } from '../../repo/index.js';
import { publishPackages } from '../../repo/index.js';
import { compileRecipe, type PipelineLibrary } from '../compile/index.js';
import { emitBuild } from '../emit/index.js';
import { loadRecipe, recipeInvalid } from '../recipe/index.js';
import type { SandboxRunner } from '../sandbox/index.js';
import { buildPackagesOf, mainSources } from './emit-inputs.js';
import { type BuildEvent, runPlanSteps } from './run-steps.js';
import { hostPathOf, populateWorkspace } from './workspace.js';

/** Options of one build. */
export interface BuildRecipeOptions {
  readonly recipe: string;
  /** Pipelines for `uses:` (directories searched before the built-ins). */
  readonly library: PipelineLibrary;
  /** apk arch to build for. */
  readonly arch: string;
  /** Makes the sandbox the shell steps run in (bubblewrap over a package root, or the host's). */
  readonly runner: SandboxRunner;
  /** Downloads for `fetch` steps. */
  readonly fetcher: Fetcher;
  /** The repository root: packages go to `<outDir>/<arch>/` with its `APKINDEX.tar.gz`. */
  readonly outDir: string;
  /** Signs every package and the index. */
  readonly signKey: ApkSigningKey;
  /** Copied into the workspace first (melange `--source-dir`); the recipe's directory by default. */
  readonly sourceDir?: string;
  /** Appended to the recipe's `environment.contents` (melange `--repository-append`, `--keyring-append`). */
  readonly extraRepositories?: readonly string[];
  readonly extraKeyring?: readonly string[];
  /** Added to the guest's packages (melange `--package-append`). */
  readonly extraPackages?: readonly string[];
  /** Enabled recipe `options:` (melange `--build-option`). */
  readonly buildOptions?: readonly string[];
  /** Start from an empty workspace instead of the source dir (melange `--empty-workspace`). */
  readonly emptyWorkspace?: boolean;
  /** Bound at `/var/cache/melange` (melange `--cache-dir`). */
  readonly cacheDir?: string;
  /** SOURCE_DATE_EPOCH: every timestamp in packages and the index; 0 by default. */
  readonly sourceDateEpoch?: number;
  /** melange `--namespace`: the SBOM supplier and purl namespace. */
  readonly namespace?: string;
  /** The SBOM's tool line, e.g. `larder (1.2.0)`. */
  readonly tool?: string;
  /** Where the temporary workspace is made; the system temp directory by default. */
  readonly workDir?: string;
  readonly onEvent?: (event: BuildEvent) => void;
  readonly signal?: AbortSignal;
}

/** What a build wrote. */
export interface BuildRecipeResult {
  readonly arch: string;
  /** The published packages, main package first: name, full version and path in the repository. */
  readonly packages: ReadonlyArray<{
    readonly name: string;
    readonly version: string;
    readonly path: string;
  }>;
  /** The repository index written; absent when the build was skipped. */
  readonly indexPath?: string;
  /** Why nothing was built: the arch is not among the recipe's `target-architecture`. */
  readonly skipped?: string;
}

/**
 * Builds one recipe and publishes its packages.
 * @throws LarderError RECIPE_INVALID (every problem placed), STEP_FAILED naming the recipe and
 *   the step, a source step's error naming the URL, SANDBOX_UNAVAILABLE; nothing is published then.
 */
export async function buildRecipe(options: BuildRecipeOptions): Promise<BuildRecipeResult> {
  const onEvent = options.onEvent ?? (() => {});
  const recipe = await loadRecipe(options.recipe);
  const compiled = compileRecipe(recipe, {
    library: options.library,
    arch: options.arch,
    ...(options.buildOptions !== undefined ? { buildOptions: options.buildOptions } : {}),
  });
  if (compiled.plan === undefined) throw recipeInvalid(options.recipe, compiled.issues);
  const plan = compiled.plan;
  const epoch = options.sourceDateEpoch ?? 0;
  const targets = recipe.spec.package['target-architecture'] ?? [];
  if (targets.length > 0 && !(targets.length === 1 && targets[0] === 'all') && !targets.includes(plan.arch)) {
    // melange's ErrSkipThisArch: a warning, nothing built, not an error.
    const skipped = `skipping arch ${plan.arch}: target-architecture is ${targets.join(', ')}`;
    onEvent({ kind: 'warning', message: skipped });
    return { arch: plan.arch, packages: [], skipped };
  }
  const scratch = await mkdtemp(join(options.workDir ?? tmpdir(), 'larder-build-'));
  try {
    const workspace = join(scratch, 'home');
    await mkdir(workspace);
    const sourceDir = resolve(options.sourceDir ?? dirname(options.recipe));
    if (options.emptyWorkspace !== true && (await populateWorkspace(sourceDir, workspace)) === undefined)
      onEvent({
        kind: 'warning',
        message: `source directory ${sourceDir} does not exist: the workspace starts empty`,
      });
    const dirOf = (p: { destdir: string }) => hostPathOf(workspace, p.destdir);
    for (const pkg of plan.packages) await mkdir(dirOf(pkg), { recursive: true, mode: 0o755 });

    const sandbox = await options.runner.prepare({
      workspace,
      arch: plan.arch,
      contents: {
        repositories: [...plan.environment.repositories, ...(options.extraRepositories ?? [])],
        keyring: [...plan.environment.keyring, ...(options.extraKeyring ?? [])],
        packages: [...plan.environment.packages, ...(options.extraPackages ?? [])],
      },
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    });
    try {
      await runPlanSteps({
        plan,
        sandbox,
        workspace,
        fetcher: options.fetcher,
        sourceDateEpoch: epoch,
        onEvent,
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
    } finally {
      await sandbox.close();
    }

    const [main, ...rest] = buildPackagesOf(plan, dirOf);
    if (main === undefined) throw new Error('a build plan has its main package');
    const emitted = await emitBuild({
      origin: {
        name: plan.package.name,
        version: plan.package.version,
        epoch: plan.package.epoch,
        copyright: plan.package.copyright,
      },
      arch: plan.arch,
      outDir: join(scratch, 'out'),
      signKey: options.signKey,
      sourceDateEpoch: epoch,
      packages: [main, ...rest],
      sources: mainSources(recipe, plan, options.namespace ?? 'unknown'),
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.tool !== undefined ? { tool: options.tool } : {}),
    });
    for (const e of emitted)
      for (const message of e.generated.warnings) onEvent({ kind: 'warning', message });

    const published = await publishPackages({
      repoDir: options.outDir,
      arch: plan.arch,
      packages: emitted.map((e) => e.path),
      signKey: options.signKey,
      sourceDateEpoch: epoch,
    });
    return { arch: plan.arch, packages: published.packages, indexPath: published.indexPath };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
