/**
 * Parse-time substitution (melange `ParseConfiguration`): the config map replaces exact
 * `${{package.*}}`/`${{vars.*}}` references in one pass everywhere but `uses`, `label`,
 * `vars`, `var-transforms` and `data`; each subpackage with `range` is expanded once per item of its
 * data table, in sorted key order, with `${{range.key}}` and `${{range.value}}`.
 */
import type { PathProblem } from './config-map.js';
import type { RecipeFile, RecipeSubpackage } from './schema.js';
import { key, replaceKnown, type SubstitutionMap } from './subst.js';

/** A subpackage after range expansion, with the index it had in the file (for positions). */
export interface ExpandedSubpackage {
  readonly spec: RecipeSubpackage;
  readonly sourceIndex: number;
}

/**
 * Left for the compile-time pass. `if` is replaced here too, unquoted, as melange does: Wolfi
 * writes `'"${{range.key}}" == ""'`, while `${{build.arch}} == 'x'` is quoted at compile time.
 */
const UNTOUCHED = new Set(['uses', 'label', 'inputs']);

/** Deep copy of `value` with every string replaced through `map` (see module comment). */
export function replaceDeep<T>(map: SubstitutionMap, value: T): T {
  if (typeof value === 'string') return replaceKnown(map, value) as T;
  if (Array.isArray(value)) return value.map((item) => replaceDeep(map, item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = UNTOUCHED.has(k) ? v : replaceDeep(map, v);
  }
  return out as T;
}

/** The recipe with parse-time substitutions made and ranges expanded. */
export function expandRecipe(
  file: RecipeFile,
  map: ReadonlyMap<string, string>,
  problems: PathProblem[],
): { recipe: RecipeFile; subpackages: ExpandedSubpackage[] } {
  const { vars, data, subpackages, 'var-transforms': transforms, ...rest } = file;
  const replaced = replaceDeep(map, rest);
  const tables = new Map((data ?? []).map((d) => [d.name ?? '', d.items ?? {}]));
  const expanded: ExpandedSubpackage[] = [];
  (subpackages ?? []).forEach((sp, sourceIndex) => {
    if (sp.range === undefined || sp.range === '') {
      expanded.push({ spec: replaceDeep(map, sp), sourceIndex });
      return;
    }
    const items = tables.get(sp.range);
    if (items === undefined) {
      const known = [...tables.keys()].join(', ') || 'none';
      problems.push({
        path: ['subpackages', sourceIndex, 'range'],
        message: `undefined range '${sp.range}' (data tables: ${known})`,
      });
      return;
    }
    const { range: _range, ...body } = sp;
    for (const k of Object.keys(items).sort()) {
      const local = new Map(map);
      local.set(key('range.key'), k);
      local.set(key('range.value'), items[k] ?? '');
      expanded.push({ spec: replaceDeep(local, body), sourceIndex });
    }
  });
  const recipe: RecipeFile = {
    ...replaced,
    ...(vars !== undefined && { vars }),
    ...(transforms !== undefined && { 'var-transforms': transforms }),
  };
  return { recipe, subpackages: expanded };
}
