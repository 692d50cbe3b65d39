/**
 * One melange recipe → a Recipe with parse-time substitutions made and ranges expanded, or every
 * problem in it, each at `file:line:column`. Never throws for bad input.
 */
import {
  type ConfigIssue,
  issueAt,
  nodeAt,
  placeOf,
  placeZodIssues,
  type YamlSource,
} from '../../image/index.js';
import { checkDependencies, checkPackages, validateRecipe } from './checks.js';
import { buildConfigMap, type PathProblem } from './config-map.js';
import { type ExpandedSubpackage, expandRecipe } from './expand.js';
import { lazySource, loadPlain } from './fast-yaml.js';
import { type RecipeFile, recipeSchema } from './schema.js';

/** A parsed recipe, ready to compile. */
export interface Recipe {
  /** The file as named to the loader. */
  readonly file: string;
  /** The positioned YAML document (built on first call), to place problems found later. */
  readonly source: () => YamlSource;
  /** The recipe after parse-time substitutions (subpackages: see `subpackages`). */
  readonly spec: RecipeFile;
  /** Subpackages after range expansion, each with its index in the file. */
  readonly subpackages: readonly ExpandedSubpackage[];
  /** `${{package.*}}` and `${{vars.*}}` (var-transforms applied). */
  readonly configMap: ReadonlyMap<string, string>;
}

/** What parsing gave: the recipe when it is valid, and every problem found. */
export interface ParsedRecipe {
  readonly recipe?: Recipe;
  readonly issues: readonly ConfigIssue[];
}

/** Parses and validates one recipe's text. */
export function parseRecipe(text: string, file: string): ParsedRecipe {
  const positioned = lazySource(text, file);
  const source = () => positioned().source;
  const loaded = loadPlain(text);
  if ('error' in loaded) {
    const { issues } = positioned();
    if (issues.length > 0) return { issues };
    return { issues: [{ file, line: loaded.line, column: loaded.column, path: '', message: loaded.error }] };
  }
  const data = loaded.data;
  if (data === null) return { issues: [issueAt(source(), undefined, [], 'the file is empty')] };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      issues: [
        issueAt(source(), nodeAt(source(), []), [], 'expected a mapping of melange keys at the top level'),
      ],
    };
  }
  const parsed = recipeSchema.safeParse(data);
  if (!parsed.success) return { issues: placeZodIssues(source(), data, parsed.error) };
  const problems: PathProblem[] = [];
  const configMap = buildConfigMap(parsed.data, problems);
  const { recipe, subpackages } = expandRecipe(parsed.data, configMap, problems);
  checkDependencies(configMap, recipe.package.dependencies, ['package'], problems);
  for (const { spec, sourceIndex } of subpackages) {
    checkDependencies(configMap, spec.dependencies, ['subpackages', sourceIndex], problems);
    checkPackages(
      configMap,
      spec.test?.environment?.contents?.packages,
      testPackagesPath(sourceIndex),
      problems,
    );
  }
  checkPackages(
    configMap,
    recipe.environment?.contents?.packages,
    ['environment', 'contents', 'packages'],
    problems,
  );
  checkPackages(
    configMap,
    recipe.test?.environment?.contents?.packages,
    ['test', 'environment', 'contents', 'packages'],
    problems,
  );
  validateRecipe(recipe, subpackages, problems);
  if (problems.length > 0) return { issues: placeProblems(source(), problems) };
  return { recipe: { file, source, spec: recipe, subpackages, configMap }, issues: [] };
}

/** Places path problems at their YAML nodes. */
export function placeProblems(source: YamlSource, problems: readonly PathProblem[]): ConfigIssue[] {
  return problems.map((p) => issueAt(source, placeOf(source, p.path), p.path, p.message));
}

function testPackagesPath(index: number): (string | number)[] {
  return ['subpackages', index, 'test', 'environment', 'contents', 'packages'];
}
