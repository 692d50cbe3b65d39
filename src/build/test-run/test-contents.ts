/**
 * The repositories and keys a test section's own `environment.contents` lists (the compiled
 * test plan keeps only its packages). melange puts them before the command line's.
 */
import { type Recipe, substituteFrom } from '../recipe/index.js';

/** Repositories and keyring of one package's test environment. */
export interface TestSources {
  readonly repositories: readonly string[];
  readonly keyring: readonly string[];
}

/**
 * The test sources of package `name`: the main package's `test:`, or the subpackage's (after
 * range expansion) whose substituted name is `name`; none when it has no such section.
 */
export function testSourcesOf(recipe: Recipe, name: string): TestSources {
  const section =
    name === recipe.spec.package.name
      ? recipe.spec.test
      : recipe.subpackages.find((sp) => nameOf(recipe, sp.spec.name) === name)?.spec.test;
  const contents = section?.environment?.contents;
  return { repositories: contents?.repositories ?? [], keyring: contents?.keyring ?? [] };
}

function nameOf(recipe: Recipe, raw: string): string {
  try {
    return substituteFrom(recipe.configMap, raw);
  } catch {
    return raw;
  }
}
