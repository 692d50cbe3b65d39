/**
 * The parse-time substitution map (melange `buildConfigMap` + `PerformVarSubstitutions`):
 * `${{package.*}}`, each `${{vars.K}}` as written, then each var-transform in order adding
 * `${{vars.<to>}}`. Problems come back with the path of the offending field.
 */
import { compileGoRegex, GoRegexError, goReplaceAll } from './go-regex.js';
import type { RecipeFile } from './schema.js';
import { key, SubstitutionError, substituteFrom } from './subst.js';

/** A problem at a path of the recipe. */
export interface PathProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** `${{package.name}}` etc. for a package's name, version and epoch. */
export function packageEntries(pkg: RecipeFile['package']): [string, string][] {
  return [
    [key('package.name'), pkg.name],
    [key('package.version'), pkg.version],
    [key('package.description'), pkg.description ?? ''],
    [key('package.epoch'), String(pkg.epoch)],
    [key('package.full-version'), `${pkg.version}-r${pkg.epoch}`],
  ];
}

/** Builds the map and reports every bad var-transform (undefined variable, bad regex). */
export function buildConfigMap(recipe: RecipeFile, problems: PathProblem[]): Map<string, string> {
  const map = new Map<string, string>(packageEntries(recipe.package));
  for (const [name, value] of Object.entries(recipe.vars ?? {})) map.set(key(`vars.${name}`), value);
  (recipe['var-transforms'] ?? []).forEach((t, i) => {
    let from: string;
    try {
      from = substituteFrom(map, t.from);
    } catch (err) {
      if (!(err instanceof SubstitutionError)) throw err;
      for (const p of err.problems) problems.push({ path: ['var-transforms', i, 'from'], message: p });
      return;
    }
    let re: RegExp;
    try {
      re = compileGoRegex(t.match);
    } catch (err) {
      if (!(err instanceof GoRegexError)) throw err;
      problems.push({
        path: ['var-transforms', i, 'match'],
        message: `'${t.match}' does not compile: ${err.message}`,
      });
      return;
    }
    map.set(key(`vars.${t.to}`), goReplaceAll(re, from, t.replace));
  });
  return map;
}
