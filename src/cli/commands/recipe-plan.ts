import { readFile } from 'node:fs/promises';
import {
  BUILD_ARCH_NAMES,
  type BuildPlan,
  buildArch,
  compileRecipeFile,
  compileRecipeText,
  hostBuildArch,
  pipelineLibrary,
} from '../../build/index.js';
import { LarderError } from '../../core/index.js';
import { ExitStatus } from '../program.js';

/** Options of `recipe plan` and `recipe lint`. */
export interface RecipePlanOptions {
  readonly pipelineDir?: string[];
  readonly json?: boolean;
  readonly arch?: string;
}

/**
 * `larder recipe plan RECIPE... [--pipeline-dir D]... [--json]`: compiles each recipe (nothing
 * runs). One recipe: its plan (JSON with --json). Several: `OK FILE` / `FAIL FILE: error` lines,
 * or JSON lines. Exit 0 only when every recipe compiles; 1 when one does not; 2 when unreadable.
 */
export async function recipePlan(files: readonly string[], opts: RecipePlanOptions): Promise<void> {
  if (files.length === 1) {
    let plan: BuildPlan;
    try {
      plan = await compileRecipeFile(files[0] as string, compileOptions(opts));
    } catch (err) {
      if (!(err instanceof LarderError) || err.code !== 'RECIPE_INVALID') throw err;
      // A recipe that does not compile is a verdict (exit 1), as with several recipes.
      process.stderr.write(`larder: ${err.code}: ${err.message}\n`);
      throw new ExitStatus(1);
    }
    process.stdout.write(opts.json ? `${JSON.stringify(plan)}\n` : describePlan(plan));
    return;
  }
  await compileEach(files, opts);
}

/** Compiles each file, printing one verdict line per file; throws ExitStatus when any fails. */
export async function compileEach(files: readonly string[], opts: RecipePlanOptions): Promise<void> {
  const options = compileOptions(opts);
  let status = 0;
  const out: string[] = [];
  // Reads run ahead of compiling (a few files in flight), so the disk and the CPU overlap.
  const reads = files.map((file, i) => (i < READ_AHEAD ? readRecipe(file) : undefined));
  for (const [i, file] of files.entries()) {
    const next = i + READ_AHEAD;
    if (next < files.length) reads[next] = readRecipe(files[next] as string);
    try {
      compileRecipeText(await (reads[i] as Promise<string>), file, options);
      reads[i] = undefined;
      out.push(opts.json ? JSON.stringify({ file, ok: true }) : `OK ${file}`);
    } catch (err) {
      if (!(err instanceof LarderError)) throw err;
      const error = reasonOf(err, file);
      out.push(
        opts.json
          ? JSON.stringify({ file, ok: false, error })
          : `FAIL ${file}: ${error.replaceAll('\n', '; ')}`,
      );
      status = Math.max(status, err.code === 'IO' ? 2 : 1);
    }
    if (out.length >= 256) process.stdout.write(`${out.splice(0).join('\n')}\n`);
  }
  if (out.length > 0) process.stdout.write(`${out.join('\n')}\n`);
  if (status) throw new ExitStatus(status);
}

const READ_AHEAD = 16;

/** Starts reading a recipe; a failure surfaces when awaited, never as an unhandled rejection. */
function readRecipe(file: string): Promise<string> {
  const read = readFile(file, 'utf8').catch((err: unknown) => {
    throw new LarderError('IO', `cannot read recipe ${file}: ${(err as Error).message}`, {
      subject: file,
      cause: err,
    });
  });
  read.catch(() => {});
  return read;
}

function compileOptions(opts: RecipePlanOptions) {
  const arch = opts.arch ?? hostBuildArch();
  if (buildArch(arch) === undefined) {
    throw new LarderError('USAGE', `unknown --arch '${arch}' (one of ${BUILD_ARCH_NAMES.join(', ')})`);
  }
  return { library: pipelineLibrary(opts.pipelineDir ?? []), arch };
}

function reasonOf(err: LarderError, file: string): string {
  const invalid = `invalid recipe ${file} `;
  if (err.message.startsWith(invalid)) {
    const lines = err.message.split('\n').slice(1);
    return lines.join('\n');
  }
  return err.message;
}

function describePlan(plan: BuildPlan): string {
  const lines = [`${plan.package.name}-${plan.package.fullVersion} (${plan.arch})`];
  lines.push(`  environment: ${plan.environment.packages.join(' ') || '(none)'}`);
  for (const pkg of plan.packages) {
    lines.push(`  package ${pkg.name} -> ${pkg.destdir}`);
    for (const step of pkg.steps)
      lines.push(`    ${step.kind === 'run' ? 'run' : step.kind} ${step.name} (${step.workdir})`);
    if (pkg.test !== undefined) lines.push(`    test: ${pkg.test.steps.length} steps`);
  }
  return `${lines.join('\n')}\n`;
}
