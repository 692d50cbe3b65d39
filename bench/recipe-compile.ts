// Recipe compile time (issue 5 §6), against a peer measured in the same run: the floor of just
// loading the same YAML texts (js-yaml, failsafe schema, which is what the compile starts with).
//  1. our sample recipes (test/fixtures/recipes/*.yaml), compiled in-process, median of 5 runs;
//  2. with WOLFI_DIR set (a wolfi-dev/os checkout, extracted outside the repo): every recipe at
//     its top level, with --pipeline-dir WOLFI_DIR/pipelines, in-process and as the whole
//     `larder recipe plan` process; prints how many compile and the failures grouped.
//   npm run build && [WOLFI_DIR=/tmp/wolfi] node --import tsx bench/recipe-compile.ts
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { compileRecipeText, pipelineLibrary } from '../src/build/index.js';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function timeMs(fn: () => void, runs = RUNS): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(samples);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

/** Compiles every text; returns the failures' first problem, grouped by its message shape. */
function compileAll(
  files: string[],
  texts: string[],
  dirs: string[],
): { ok: number; reasons: Map<string, number> } {
  const library = pipelineLibrary(dirs);
  const reasons = new Map<string, number>();
  let ok = 0;
  texts.forEach((text, i) => {
    try {
      compileRecipeText(text, files[i] as string, { library, arch: 'x86_64' });
      ok++;
    } catch (err) {
      const first = (err as Error).message.split('\n')[1] ?? (err as Error).message;
      const shape = first
        .replace(/^\S+: /, '')
        .replace(/'[^']*'/g, "'…'")
        .replace(/\[\d+\]/g, '[i]');
      reasons.set(shape, (reasons.get(shape) ?? 0) + 1);
    }
  });
  return { ok, reasons };
}

function report(label: string, files: string[], dirs: string[]): void {
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const floor = timeMs(() => {
    for (const t of texts) jsYaml.load(t, { schema: jsYaml.FAILSAFE_SCHEMA });
  });
  let result = compileAll(files, texts, dirs);
  const compile = timeMs(() => {
    result = compileAll(files, texts, dirs);
  });
  console.log(
    `${label}: ${result.ok}/${files.length} compile in ${compile.toFixed(0)} ms ` +
      `(${((compile * 1000) / files.length).toFixed(0)} µs each); YAML load alone ${floor.toFixed(0)} ms; ` +
      `ratio ${(compile / floor).toFixed(2)}x`,
  );
  for (const [shape, count] of [...result.reasons].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${count} × ${shape.slice(0, 200)}`);
  }
}

const samples = join(ROOT, 'test', 'fixtures', 'recipes');
report('sample recipes (x50)', Array(50).fill(yamlFiles(samples)).flat(), [join(samples, 'pipelines')]);

const wolfi = process.env.WOLFI_DIR;
if (wolfi !== undefined && wolfi !== '') {
  const files = yamlFiles(wolfi);
  const pipelines = join(wolfi, 'pipelines');
  report('wolfi recipes', files, [pipelines]);
  const whole = timeMs(() => {
    try {
      execFileSync(process.execPath, [CLI, 'recipe', 'plan', ...files, '--pipeline-dir', pipelines], {
        stdio: 'ignore',
        maxBuffer: 1 << 26,
      });
    } catch {
      // exit 1 when some recipe fails; the counts are printed above
    }
  }, 3);
  console.log(
    `wolfi: \`larder recipe plan\` of ${files.length} recipes, whole process: ${whole.toFixed(0)} ms`,
  );
}
