/**
 * A parsed recipe → BuildPlan (melange `Build.Compile`): the main pipeline, each subpackage's
 * (its `if` evaluated), and the tests, every problem placed at the step it comes from.
 */
import { type ConfigIssue, issueAt, placeOf } from '../../image/index.js';
import { ConditionError, evaluateCondition } from '../recipe/condition.js';
import type { Recipe } from '../recipe/parse.js';
import type { PipelineStep } from '../recipe/pipeline-schema.js';
import type { RecipeTest } from '../recipe/schema.js';
import { key, SubstitutionError, substituteQuoted } from '../recipe/subst.js';
import { type BuildArch, buildArch } from './arch.js';
import { type CompiledStep, CompileError, compileStep } from './compile-step.js';
import { planEnvironment } from './environment.js';
import { flattenStep, gatherNeeds } from './flatten.js';
import { packageMetadata } from './metadata.js';
import type { PipelineLibrary } from './pipeline-library.js';
import type { BuildPlan, PackagePlan, PlanStep, TestPlan } from './plan.js';
import { propagate } from './propagate.js';
import { recipeSubstitutions, resolveAll, Scope, subpackageSubstitutions } from './substitution-map.js';

/** Options of a compile. */
export interface CompileOptions {
  readonly library: PipelineLibrary;
  /** apk arch name (default x86_64). */
  readonly arch?: string;
  /** Enabled build options (`options.<name>.enabled`). */
  readonly buildOptions?: readonly string[];
}

/** The plan, or every problem found (each placed in the recipe). */
export type CompileResult =
  | { readonly plan: BuildPlan; readonly issues: readonly [] }
  | { readonly plan?: undefined; readonly issues: readonly ConfigIssue[] };

/** Compiles a recipe to a build plan. */
export function compileRecipe(recipe: Recipe, options: CompileOptions): CompileResult {
  const arch = buildArch(options.arch ?? 'x86_64');
  if (arch === undefined) {
    return { issues: [{ file: recipe.file, path: '', message: `unknown architecture '${options.arch}'` }] };
  }
  return new Compiler(recipe, options.library, arch, options.buildOptions ?? []).run();
}

type Path = (string | number)[];

class Compiler {
  readonly issues: ConfigIssue[] = [];
  constructor(
    readonly recipe: Recipe,
    readonly library: PipelineLibrary,
    readonly arch: BuildArch,
    readonly buildOptions: readonly string[],
  ) {}

  run(): CompileResult {
    const { spec } = this.recipe;
    const base = this.guard([], () =>
      resolveAll(recipeSubstitutions(this.recipe, this.arch, 'gnu', this.buildOptions)),
    );
    if (base === undefined) return { issues: this.issues };
    const needs: string[] = [];
    const main = this.steps(base, propagate(spec.pipeline ?? []), ['pipeline'], needs);
    const packages: PackagePlan[] = [];
    const mainTest = this.test(base, spec.test, ['test'], spec.package.name);
    packages.push({
      name: spec.package.name,
      metadata: packageMetadata(spec.package),
      destdir: base.get(key('targets.destdir')) ?? '',
      steps: main,
      ...(mainTest && { test: mainTest }),
    });
    for (const { spec: sp, sourceIndex } of this.recipe.subpackages) {
      const map = subpackageSubstitutions(base, sp.name);
      const at: Path = ['subpackages', sourceIndex];
      if (sp.if !== undefined && sp.if !== '' && !this.holds(map, sp.if, [...at, 'if'])) continue;
      const steps = this.steps(map, propagate(sp.pipeline ?? []), [...at, 'pipeline'], needs);
      const test = this.test(map, sp.test, [...at, 'test'], sp.name);
      packages.push({
        name: sp.name,
        metadata: packageMetadata(sp, spec.package.commit),
        destdir: map.get(key('targets.subpkgdir')) ?? '',
        steps,
        ...(test && { test }),
      });
    }
    if (this.issues.length > 0) return { issues: this.issues };
    const plan: BuildPlan = {
      file: this.recipe.file,
      arch: this.arch.apk,
      package: {
        name: spec.package.name,
        version: spec.package.version,
        epoch: spec.package.epoch,
        fullVersion: `${spec.package.version}-r${spec.package.epoch}`,
        copyright: (spec.package.copyright ?? []).map((c) => ({
          license: c.license ?? '',
          ...(c.attestation !== undefined && { attestation: c.attestation }),
        })),
      },
      environment: planEnvironment(spec, needs, this.buildOptions),
      packages,
    };
    return { plan, issues: [] };
  }

  steps(
    map: ReadonlyMap<string, string>,
    steps: readonly PipelineStep[],
    at: Path,
    needs: string[],
  ): PlanStep[] {
    const out: PlanStep[] = [];
    const scope = new Scope(map, new Map());
    steps.forEach((step, i) => {
      const compiled = this.guard([...at, i], () => compileStep(this.library, scope, step));
      if (compiled === undefined) return;
      this.guard([...at, i, 'if'], () => {
        gatherNeeds(compiled, needs);
        flattenStep(compiled, out);
      });
    });
    return out;
  }

  test(
    map: ReadonlyMap<string, string>,
    test: RecipeTest | undefined,
    at: Path,
    pkg: string,
  ): TestPlan | undefined {
    if (test === undefined) return undefined;
    const needs: string[] = [];
    const steps = this.steps(map, test.pipeline, [...at, 'pipeline'], needs);
    const packages = [...new Set([...(test.environment?.contents?.packages ?? []), pkg, ...needs])].sort();
    return { packages, environment: test.environment?.environment ?? {}, steps };
  }

  holds(map: ReadonlyMap<string, string>, condition: string, at: Path): boolean {
    return this.guard(at, () => evaluateCondition(substituteQuoted(map, condition))) ?? false;
  }

  guard<T>(at: Path, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (
        !(
          err instanceof CompileError ||
          err instanceof SubstitutionError ||
          err instanceof ConditionError ||
          isLarder(err)
        )
      )
        throw err;
      const path =
        err instanceof CompileError && err.field !== undefined
          ? [...at, ...err.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))]
          : at;
      const source = this.recipe.source();
      const node = placeOf(source, path) ?? placeOf(source, at);
      this.issues.push(issueAt(source, node, path, (err as Error).message));
      return undefined;
    }
  }
}

function isLarder(err: unknown): boolean {
  return err instanceof Error && err.name === 'LarderError';
}

export type { CompiledStep };
