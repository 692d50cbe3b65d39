/**
 * The checks melange makes once parse-time substitutions are done: strict substitution of
 * dependency strings, priorities and environment packages (`applySubstitutionsFor*`), then
 * `validate`: package and subpackage names, version, integer priorities, unique subpackages.
 */
import type { PathProblem } from './config-map.js';
import type { ExpandedSubpackage } from './expand.js';
import type { RecipeDependencies, RecipeFile } from './schema.js';
import { SubstitutionError, type SubstitutionMap, substituteFrom } from './subst.js';

/** melange's packageNameRegex. */
export const PACKAGE_NAME = /^[a-zA-Z\d][a-zA-Z\d+_.-]*$/;

type Path = (string | number)[];

/** Substitutes a string strictly, recording each undefined variable at `path`. */
export function strict(map: SubstitutionMap, value: string, path: Path, problems: PathProblem[]): string {
  try {
    return substituteFrom(map, value);
  } catch (err) {
    if (!(err instanceof SubstitutionError)) throw err;
    for (const message of err.problems) problems.push({ path, message });
    return value;
  }
}

/** Substitutes dependencies in place and checks their priorities. */
export function checkDependencies(
  map: SubstitutionMap,
  deps: RecipeDependencies | undefined,
  at: Path,
  problems: PathProblem[],
): void {
  if (deps === undefined) return;
  for (const field of ['runtime', 'provides', 'replaces'] as const) {
    const list = deps[field];
    if (list === undefined) continue;
    deps[field] = list.map((v, i) => strict(map, v, [...at, 'dependencies', field, i], problems));
  }
  for (const field of ['provider-priority', 'replaces-priority'] as const) {
    const value = deps[field];
    if (value === undefined) continue;
    const path = [...at, 'dependencies', field];
    const resolved = strict(map, value, path, problems);
    deps[field] = resolved;
    if (resolved !== '' && !/^[+-]?\d+$/.test(resolved)) {
      problems.push({ path, message: `priority must be an integer, got '${resolved}'` });
    }
  }
}

/** Substitutes environment packages in place. */
export function checkPackages(
  map: SubstitutionMap,
  list: string[] | undefined,
  at: Path,
  problems: PathProblem[],
): void {
  if (list === undefined) return;
  list.forEach((v, i) => {
    list[i] = strict(map, v, [...at, i], problems);
  });
}

/** melange `validate`: names, version, unique subpackages. */
export function validateRecipe(
  recipe: RecipeFile,
  subpackages: readonly ExpandedSubpackage[],
  problems: PathProblem[],
): void {
  const pkg = recipe.package;
  if (!PACKAGE_NAME.test(pkg.name)) {
    problems.push({
      path: ['package', 'name'],
      message: `package name '${pkg.name}' must match ${PACKAGE_NAME.source}`,
    });
  }
  if (pkg.version === '')
    problems.push({ path: ['package', 'version'], message: 'package version must not be empty' });
  const seen = new Map<string, number>([[pkg.name, -1]]);
  for (const { spec, sourceIndex } of subpackages) {
    const path = ['subpackages', sourceIndex, 'name'];
    const before = seen.get(spec.name);
    if (before === -1)
      problems.push({ path, message: `subpackage '${spec.name}' has the same name as the main package` });
    else if (before !== undefined)
      problems.push({ path, message: `duplicate subpackage name '${spec.name}'` });
    seen.set(spec.name, sourceIndex);
    if (!PACKAGE_NAME.test(spec.name)) {
      problems.push({ path, message: `subpackage name '${spec.name}' must match ${PACKAGE_NAME.source}` });
    }
  }
}
