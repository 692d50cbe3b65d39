/**
 * A recipe tree as a build graph: one node per recipe, an edge A → B when A's build
 * environment (`environment.contents.packages` and every running pipeline's `needs`) or the
 * runtime dependencies of any of its packages name a package, subpackage or declared `provides`
 * of B. Names are compared without version constraints or repository tags; `so:` and `cmd:`
 * names only match what a recipe declares (automatic provides are not known before building).
 */
import { LarderError } from '../../core/index.js';
import type { BuildPlan } from '../compile/index.js';

/** One recipe in the graph. */
export interface RecipeNode {
  /** The main package's name: the recipe's identity in the graph. */
  readonly name: string;
  readonly file: string;
  /** `version-rEPOCH`, as it appears in an index. */
  readonly version: string;
  /** The main package and every subpackage, in plan order. */
  readonly packages: readonly string[];
  /** Declared `provides` names of any of its packages, sorted, without versions. */
  readonly provides: readonly string[];
  /** Every name it needs to build or run, sorted, without versions. */
  readonly needs: readonly string[];
  /** The recipes providing those names (never itself), sorted. */
  readonly dependsOn: readonly string[];
}

/** The build graph of a recipe tree, nodes sorted by name. */
export interface RecipeGraph {
  readonly nodes: readonly RecipeNode[];
  readonly byName: ReadonlyMap<string, RecipeNode>;
}

/**
 * The bare name of a dependency or provide string (`foo>=1.2`, `foo@edge`, `so:libz.so.1=1`),
 * or undefined for a conflict (`!foo`), which is no dependency.
 */
export function dependencyName(text: string): string | undefined {
  const t = text.trim();
  if (t === '' || t.startsWith('!')) return undefined;
  const cut = t.search(/[<>=~@]/);
  const name = cut < 0 ? t : t.slice(0, cut);
  return name === '' ? undefined : name;
}

function names(texts: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    const n = dependencyName(t);
    if (n !== undefined) out.add(n);
  }
  return [...out].sort();
}

/**
 * Builds the graph of compiled recipes. A name that is some recipe's package or subpackage
 * links to that recipe only; otherwise to every recipe declaring it in `provides`.
 * @throws LarderError RECIPE_INVALID when two recipes build a package of the same name.
 */
export function buildRecipeGraph(plans: readonly BuildPlan[]): RecipeGraph {
  const packageOwner = new Map<string, BuildPlan>();
  const providers = new Map<string, Set<string>>();
  for (const plan of plans) {
    for (const pkg of plan.packages) {
      const earlier = packageOwner.get(pkg.name);
      if (earlier !== undefined)
        throw new LarderError(
          'RECIPE_INVALID',
          `package ${pkg.name} is built by two recipes: ${earlier.file} and ${plan.file}`,
          { subject: plan.file },
        );
      packageOwner.set(pkg.name, plan);
      for (const p of names(pkg.metadata.dependencies.provides)) {
        const set = providers.get(p) ?? new Set<string>();
        set.add(plan.package.name);
        providers.set(p, set);
      }
    }
  }
  const nodes = plans.map((plan): RecipeNode => {
    const self = plan.package.name;
    const needs = names([
      ...plan.environment.packages,
      ...plan.packages.flatMap((p) => p.metadata.dependencies.runtime),
    ]);
    const deps = new Set<string>();
    for (const need of needs) {
      const owner = packageOwner.get(need);
      const targets = owner !== undefined ? [owner.package.name] : [...(providers.get(need) ?? [])];
      for (const t of targets) if (t !== self) deps.add(t);
    }
    return {
      name: self,
      file: plan.file,
      version: plan.package.fullVersion,
      packages: plan.packages.map((p) => p.name),
      provides: names(plan.packages.flatMap((p) => p.metadata.dependencies.provides)),
      needs,
      dependsOn: [...deps].sort(),
    };
  });
  nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { nodes, byName: new Map(nodes.map((n) => [n.name, n])) };
}
