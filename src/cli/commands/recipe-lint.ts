import { compileEach, type RecipePlanOptions } from './recipe-plan.js';

/**
 * `larder recipe lint RECIPE... [--pipeline-dir D]... [--json]`: compiles each recipe and prints
 * `OK FILE` or `FAIL FILE: error` (JSON lines with --json). Exit 0 only when all compile.
 */
export async function recipeLint(files: readonly string[], opts: RecipePlanOptions): Promise<void> {
  await compileEach(files, opts);
}
