/**
 * What emission needs besides the staged trees: each package's metadata as the plan carries it
 * (description, url, commit, dependencies, SCA options, scriptlets), and the upstream sources
 * of the main pipeline for the SBOMs.
 */
import type { BuildPlan, PackagePlan, SourceStep } from '../compile/index.js';
import { type BuildPackage, type EmitSource, licenseExpression, upstreamSource } from '../emit/index.js';
import type { Recipe } from '../recipe/index.js';

/** The packages to emit, in plan order, each with its staged tree (`dirOf(plan)`) and metadata. */
export function buildPackagesOf(plan: BuildPlan, dirOf: (plan: PackagePlan) => string): BuildPackage[] {
  return plan.packages.map((p) => {
    const m = p.metadata;
    return {
      name: p.name,
      dir: dirOf(p),
      ...(m.description !== undefined ? { description: m.description } : {}),
      ...(m.url !== undefined ? { url: m.url } : {}),
      ...(m.commit !== undefined ? { commit: m.commit } : {}),
      dependencies: m.dependencies,
      options: m.options,
      scriptlets: m.scriptlets,
    };
  });
}

/**
 * The upstream sources of the main pipeline, as melange records them: each top-level `fetch`
 * or `git-checkout` step at its index in `pipeline:`, with the inputs the compiler resolved
 * (defaults and substitutions applied) when the plan's source steps line up with them.
 */
export function mainSources(recipe: Recipe, plan: BuildPlan, namespace: string): EmitSource[] {
  const { copyright } = plan.package;
  const license = licenseExpression({ origin: { name: '', version: '', epoch: 0, copyright } });
  const [main] = plan.packages;
  if (main === undefined) return [];
  const top = (recipe.spec.pipeline ?? [])
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.uses === 'fetch' || step.uses === 'git-checkout');
  const planned = main.steps.filter((s): s is SourceStep => s.kind !== 'run');
  const aligned = planned.length === top.length && planned.every((s, i) => s.kind === top[i]?.step.uses);
  const out: EmitSource[] = [];
  for (const [i, { step, index }] of top.entries()) {
    const inputs = (aligned ? planned[i]?.inputs : undefined) ?? step.with ?? {};
    const source = upstreamSource({ uses: step.uses as string, with: inputs }, index, namespace, license);
    if (source !== undefined) out.push(source);
  }
  return out;
}
