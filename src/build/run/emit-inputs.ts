/**
 * What emission needs from the recipe besides the staged trees: each package's description,
 * URL, commit, declared dependencies, SCA options and scriptlets (the YAML keys mapped to
 * emit's fields), and the upstream sources of the main pipeline for the SBOMs.
 */
import { LarderError } from '../../core/index.js';
import type { PackagePlan, SourceStep } from '../compile/index.js';
import {
  type BuildPackage,
  type EmitCopyright,
  type EmitDependencies,
  type EmitScriptlets,
  type EmitSource,
  licenseExpression,
  upstreamSource,
} from '../emit/index.js';
import type { Recipe, RecipeDependencies, RecipeSubpackage } from '../recipe/index.js';
import type { ScaOptions } from '../sca/index.js';

type PackageFields = Pick<
  RecipeSubpackage,
  'description' | 'url' | 'commit' | 'dependencies' | 'options' | 'scriptlets'
>;

/** The recipe's copyright entries as emit takes them. */
export function copyrightOf(recipe: Recipe): EmitCopyright[] {
  return (recipe.spec.package.copyright ?? []).map((c) => ({
    license: c.license ?? '',
    ...(c.attestation !== undefined ? { attestation: c.attestation } : {}),
  }));
}

/**
 * The packages to emit, in plan order, each with its staged tree (`dirOf(destdir)`) and its own
 * fields: the main package's from `package:`, a subpackage's from its entry (after ranges).
 */
export function buildPackagesOf(
  recipe: Recipe,
  plans: readonly PackagePlan[],
  dirOf: (plan: PackagePlan) => string,
): BuildPackage[] {
  const subpackages = new Map(recipe.subpackages.map((s) => [s.spec.name, s.spec]));
  return plans.map((plan, i) => {
    const fields: PackageFields | undefined = i === 0 ? recipe.spec.package : subpackages.get(plan.name);
    return { name: plan.name, dir: dirOf(plan), ...fieldsOf(recipe.file, plan.name, fields ?? {}) };
  });
}

function fieldsOf(file: string, name: string, f: PackageFields): Omit<BuildPackage, 'name' | 'dir'> {
  const dependencies = f.dependencies && dependenciesOf(file, name, f.dependencies);
  const options: ScaOptions | undefined = f.options && {
    ...(f.options['no-provides'] !== undefined ? { noProvides: f.options['no-provides'] } : {}),
    ...(f.options['no-depends'] !== undefined ? { noDepends: f.options['no-depends'] } : {}),
    ...(f.options['no-commands'] !== undefined ? { noCommands: f.options['no-commands'] } : {}),
  };
  const s = f.scriptlets;
  const scriptlets: EmitScriptlets | undefined = s && {
    ...(s['pre-install'] !== undefined ? { preInstall: s['pre-install'] } : {}),
    ...(s['post-install'] !== undefined ? { postInstall: s['post-install'] } : {}),
    ...(s['pre-deinstall'] !== undefined ? { preDeinstall: s['pre-deinstall'] } : {}),
    ...(s['post-deinstall'] !== undefined ? { postDeinstall: s['post-deinstall'] } : {}),
    ...(s['pre-upgrade'] !== undefined ? { preUpgrade: s['pre-upgrade'] } : {}),
    ...(s['post-upgrade'] !== undefined ? { postUpgrade: s['post-upgrade'] } : {}),
    ...(s.trigger !== undefined ? { trigger: s.trigger } : {}),
  };
  return {
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.url !== undefined ? { url: f.url } : {}),
    ...(f.commit !== undefined ? { commit: f.commit } : {}),
    ...(dependencies !== undefined ? { dependencies } : {}),
    ...(options !== undefined ? { options } : {}),
    ...(scriptlets !== undefined ? { scriptlets } : {}),
  };
}

function dependenciesOf(file: string, name: string, d: RecipeDependencies): EmitDependencies {
  const priority = (key: 'provider-priority' | 'replaces-priority'): number | undefined => {
    const value = d[key];
    if (value === undefined || value === '') return undefined;
    if (!/^\d{1,9}$/.test(value))
      throw new LarderError(
        'RECIPE_INVALID',
        `${file}: ${name}: dependencies.${key}: '${value}' is not an unsigned integer`,
        { subject: file },
      );
    return Number(value);
  };
  const provider = priority('provider-priority');
  const replaces = priority('replaces-priority');
  return {
    ...(d.runtime !== undefined ? { runtime: d.runtime } : {}),
    ...(d.provides !== undefined ? { provides: d.provides } : {}),
    ...(d.replaces !== undefined ? { replaces: d.replaces } : {}),
    ...(provider !== undefined ? { providerPriority: provider } : {}),
    ...(replaces !== undefined ? { replacesPriority: replaces } : {}),
  };
}

/**
 * The upstream sources of the main pipeline, as melange records them: each top-level `fetch`
 * or `git-checkout` step at its index in `pipeline:`, with the inputs the compiler resolved
 * (defaults and substitutions applied) when the plan's source steps line up with them.
 */
export function mainSources(
  recipe: Recipe,
  main: PackagePlan,
  namespace: string,
  copyright: readonly EmitCopyright[],
): EmitSource[] {
  const license = licenseExpression({ origin: { name: '', version: '', epoch: 0, copyright } });
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
