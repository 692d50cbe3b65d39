/**
 * The recipes of a workspace (`recipes/*.yaml`): each parsed and compiled for its first
 * workspace arch to learn its name, version, provides and build-time needs. A recipe that does
 * not load or compile is kept with its `problem` (every issue at `file:line:column`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import {
  type BuildPlan,
  compileRecipe,
  dependencyName,
  type PipelineLibrary,
  parseRecipe,
  type RecipeFile,
} from '../../build/index.js';
import { formatPlacedIssue, inFile, type PlacedIssue, sortPlacedIssues } from '../../core/index.js';
import type { FactoryArch, FactoryConfig, WorkspaceRecipe } from '../model.js';
import { recipeHash } from './tree-hash.js';

/** The `*.yaml` / `*.yml` files directly in `dir` (not hidden), sorted; none when it is absent. */
export async function yamlFilesOf(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw inFile(dir, err);
  }
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

/** Loads every recipe of `<root>/recipes`, sorted by name; problems never throw. */
export async function loadWorkspaceRecipes(
  root: string,
  config: FactoryConfig,
  library: PipelineLibrary,
): Promise<WorkspaceRecipe[]> {
  const loaded: Loaded[] = [];
  for (const file of await yamlFilesOf(join(root, 'recipes'))) {
    loaded.push(await loadOne(root, file, config.repository.archs, library));
  }
  loaded.sort(({ recipe: a }, { recipe: b }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : 1,
  );
  return withDuplicatesMarked(root, loaded);
}

/** A recipe and the packages it builds (main package and subpackages). */
interface Loaded {
  readonly recipe: WorkspaceRecipe;
  readonly packages: readonly string[];
}

async function loadOne(
  root: string,
  file: string,
  workspaceArchs: readonly FactoryArch[],
  library: PipelineLibrary,
): Promise<Loaded> {
  const stem = basename(file, extname(file));
  const hash = await recipeHash(file, join(root, 'recipes', stem));
  const display = relative(root, file);
  const broken = (problem: string): Loaded => ({
    recipe: {
      name: stem,
      file,
      version: '',
      epoch: 0,
      hash,
      provides: [],
      buildDepends: [],
      archs: [],
      problem,
    },
    packages: [],
  });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return broken(inFile(display, err).message);
  }
  const parsed = parseRecipe(text, display);
  if (parsed.recipe === undefined) return broken(issueLines(parsed.issues));
  const targets = parsed.recipe.spec.package['target-architecture'] ?? [];
  const archs =
    targets.length === 0 || targets.includes('all')
      ? [...workspaceArchs]
      : workspaceArchs.filter((a) => targets.includes(a));
  const compiled = compileRecipe(parsed.recipe, { library, arch: archs[0] ?? workspaceArchs[0] ?? 'x86_64' });
  if (compiled.plan === undefined) return broken(issueLines(compiled.issues));
  const plan = compiled.plan;
  return {
    recipe: {
      name: plan.package.name,
      file,
      version: plan.package.version,
      epoch: plan.package.epoch,
      hash,
      provides: providesOf(plan),
      buildDepends: namesOf(plan.environment.packages),
      archs,
      hasUpdateSource: hasUpdateSource(parsed.recipe.spec.update),
    },
    packages: plan.packages.map((p) => p.name),
  };
}

/** Every issue on its own line, `file:line:col: path: message`, in file order. */
export function issueLines(issues: readonly PlacedIssue[]): string {
  return sortPlacedIssues(issues).map(formatPlacedIssue).join('\n');
}

/** An enabled, automatic `update:` with a source the factory can ask (release-monitor, github, git). */
function hasUpdateSource(update: RecipeFile['update']): boolean {
  if (update === undefined || update.enabled === false || update.manual === true) return false;
  return update['release-monitor'] !== undefined || update.github !== undefined || update.git !== undefined;
}

/** Package and subpackage names in plan order, then declared `provides` names, sorted. */
function providesOf(plan: BuildPlan): string[] {
  const packages = plan.packages.map((p) => p.name);
  const declared = namesOf(plan.packages.flatMap((p) => p.metadata.dependencies.provides));
  return [...packages, ...declared.filter((n) => !packages.includes(n))];
}

function namesOf(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    const name = dependencyName(t);
    if (name !== undefined) out.add(name);
  }
  return [...out].sort();
}

/** A package built by two recipes makes the later recipe (by name, then file) a problem. */
function withDuplicatesMarked(root: string, loaded: readonly Loaded[]): WorkspaceRecipe[] {
  const owner = new Map<string, string>();
  return loaded.map(({ recipe, packages }) => {
    const clash = packages.find((name) => owner.has(name));
    if (clash !== undefined) {
      const other = relative(root, owner.get(clash) as string);
      const message = `${relative(root, recipe.file)}: package ${clash} is also built by ${other}`;
      return { ...recipe, problem: message };
    }
    for (const name of packages) owner.set(name, recipe.file);
    return recipe;
  });
}
