/**
 * The compile-time substitution map (melange `NewSubstitutionMap`, `Subpackage`, `MutateWith`):
 * package, targets, triplets, build arch, vars and var-transforms, `targets.package.*`,
 * `options.*.enabled`; per subpackage `subpkg.name`, `targets.subpkgdir`, `targets.contextdir`;
 * per step `inputs.*`. Values are resolved against the map until no reference is left.
 */
import type { Recipe } from '../recipe/parse.js';
import { key, SubstitutionError, type SubstitutionMap, substitute } from '../recipe/subst.js';
import { type BuildArch, gnuTriplet, rustTriplet } from './arch.js';

const OUT = '/home/build/melange-out';

/** The base map for a recipe built on `arch` with `flavour` (gnu) and enabled build options. */
export function recipeSubstitutions(
  recipe: Recipe,
  arch: BuildArch,
  flavour = 'gnu',
  options: readonly string[] = [],
): Map<string, string> {
  const pkg = recipe.spec.package;
  const m = new Map<string, string>([
    [key('package.name'), pkg.name],
    [key('package.version'), pkg.version],
    [key('package.epoch'), String(pkg.epoch)],
    [key('package.full-version'), `${pkg.version}-r${pkg.epoch}`],
    [key('package.srcdir'), '/home/build'],
    [key('targets.outdir'), OUT],
    [key('targets.destdir'), `${OUT}/${pkg.name}`],
    [key('targets.contextdir'), `${OUT}/${pkg.name}`],
    [key('context.name'), pkg.name],
    [key('host.triplet.gnu'), gnuTriplet(arch, flavour)],
    [key('host.triplet.rust'), rustTriplet(arch, flavour)],
    [key('cross.triplet.gnu.glibc'), gnuTriplet(arch, 'gnu')],
    [key('cross.triplet.gnu.musl'), gnuTriplet(arch, 'musl')],
    [key('cross.triplet.rust.glibc'), rustTriplet(arch, 'gnu')],
    [key('cross.triplet.rust.musl'), rustTriplet(arch, 'musl')],
    [key('build.arch'), arch.apk],
    [key('build.goarch'), arch.go],
  ]);
  for (const [k, v] of recipe.configMap) if (k.startsWith('${{vars.')) m.set(k, v);
  // melange `applyBuildOption`: an enabled option's vars replace the recipe's.
  for (const opt of options) {
    for (const [k, v] of Object.entries(recipe.spec.options?.[opt]?.vars ?? {})) m.set(key(`vars.${k}`), v);
  }
  for (const name of [pkg.name, ...recipe.subpackages.map((s) => s.spec.name)]) {
    m.set(key(`targets.package.${name}`), `${OUT}/${name}`);
  }
  for (const opt of Object.keys(recipe.spec.options ?? {})) m.set(key(`options.${opt}.enabled`), 'false');
  for (const opt of options) m.set(key(`options.${opt}.enabled`), 'true');
  return m;
}

/** The map for a subpackage's pipelines. */
export function subpackageSubstitutions(
  base: ReadonlyMap<string, string>,
  name: string,
): Map<string, string> {
  const m = new Map(base);
  m.set(key('subpkg.name'), name);
  m.set(key('context.name'), name);
  m.set(key('targets.subpkgdir'), `${OUT}/${name}`);
  m.set(key('targets.contextdir'), `${OUT}/${name}`);
  return m;
}

/** Resolves every value of `map` against the map itself; throws SubstitutionError. */
export function resolveAll(map: ReadonlyMap<string, string>): Map<string, string> {
  return new Scope(new Map(), map).resolved();
}

/**
 * A step's substitutions (melange `MutateWith`): a resolved base map plus the `${{inputs.*}}`
 * of the step and its ancestors. Only the inputs are resolved per step.
 */
export class Scope implements SubstitutionMap {
  constructor(
    readonly base: ReadonlyMap<string, string>,
    readonly overlay: ReadonlyMap<string, string>,
  ) {}

  get(k: string): string | undefined {
    return this.overlay.get(k) ?? this.base.get(k);
  }

  /** A child scope with `inputs` (bare names, raw values) added and resolved. */
  withInputs(inputs: ReadonlyMap<string, string>): Scope {
    const raw = new Map(this.overlay);
    // As melange: each value is first resolved in the parent's scope (`who: ${{inputs.who}}!`
    // reads the parent's input), keeping it as written when that fails.
    for (const [k, v] of inputs) raw.set(key(`inputs.${k}`), this.#tryResolve(v));
    return new Scope(this.base, new Scope(this.base, raw).resolved());
  }

  #tryResolve(value: string): string {
    if (!value.includes('${{')) return value;
    try {
      return substitute(value, (name) => this.get(key(name)));
    } catch {
      return value;
    }
  }

  /** The overlay with every value resolved (recursively, cycles reported). */
  resolved(): Map<string, string> {
    const done = new Map<string, string>();
    const problems = new Set<string>();
    const resolving = new Set<string>();
    const resolve = (k: string): string | undefined => {
      const raw = this.overlay.get(k);
      if (raw === undefined) return this.base.get(k);
      const known = done.get(k);
      if (known !== undefined) return known;
      if (!raw.includes('${{')) return raw;
      if (resolving.has(k)) {
        problems.add(`variable ${k.slice(3, -2)} refers to itself`);
        return raw;
      }
      resolving.add(k);
      let value = raw;
      try {
        value = substitute(raw, (name) => resolve(key(name)));
      } catch (err) {
        if (!(err instanceof SubstitutionError)) throw err;
        for (const p of err.problems) problems.add(p);
      }
      resolving.delete(k);
      done.set(k, value);
      return value;
    };
    for (const k of this.overlay.keys()) done.set(k, resolve(k) ?? '');
    if (problems.size > 0) throw new SubstitutionError([...problems]);
    return done;
  }
}
