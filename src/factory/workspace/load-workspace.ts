/**
 * `loadWorkspace(root)`: `larder.yaml` (a broken one throws, placed), then the recipes, images
 * and advisory files. A broken recipe or image never throws: it carries its `problem`.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipelineLibrary } from '../../build/index.js';
import { inFile, type PlacedIssue } from '../../core/index.js';
import { issueAt, keyNodeAt } from '../../image/index.js';
import { ADVISORY_FILE_SUFFIX } from '../../vuln/index.js';
import type { Workspace } from '../model.js';
import { loadWorkspaceImages } from './images.js';
import { invalidFactoryConfig, loadFactoryConfig } from './load-config.js';
import { loadWorkspaceRecipes } from './recipes.js';

/** Options of {@link loadWorkspace}. */
export interface LoadWorkspaceOptions {
  /** Directories of extra `uses:` pipelines for compiling recipes (besides the built-in ones). */
  readonly pipelineDirs?: readonly string[];
}

/**
 * Loads the workspace at `root` (made absolute). Throws NOT_FOUND/IO when larder.yaml cannot be
 * read, CONFIG_INVALID listing every problem of larder.yaml (a publish entry for an image
 * that `images/` does not hold included).
 */
export async function loadWorkspace(root: string, options: LoadWorkspaceOptions = {}): Promise<Workspace> {
  const dir = resolve(root);
  const { file, config, source } = await loadFactoryConfig(dir);
  const images = await loadWorkspaceImages(dir, config);
  const names = new Set(images.map((i) => i.name));
  const issues: PlacedIssue[] = [];
  for (const name of Object.keys(config.images.publish ?? {})) {
    if (names.has(name)) continue;
    const path = ['images', 'publish', name];
    issues.push(
      issueAt(source, keyNodeAt(source, path.slice(0, -1), name), path, `no image images/${name}.yaml`),
    );
  }
  if (issues.length > 0) throw invalidFactoryConfig(file, issues);
  const recipes = await loadWorkspaceRecipes(dir, config, pipelineLibrary(options.pipelineDirs ?? []));
  return {
    root: dir,
    config,
    recipes,
    images,
    advisoryFiles: await advisoryFilesOf(join(dir, 'advisories')),
  };
}

/** Absolute paths of `*.advisories.yaml` in `dir`, sorted; none when it does not exist. */
async function advisoryFilesOf(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw inFile(dir, err);
  }
  return names
    .filter((n) => n.endsWith(ADVISORY_FILE_SUFFIX) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n));
}
