import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { BUILTIN_PIPELINES } from '../../src/build/pipelines/index.js';

const exec = promisify(execFile);

/** Paths and values a built-in pipeline's text refers to, as the compiler would give them. */
export interface PipelineVars {
  readonly home: string;
  readonly packageName: string;
  /** The package being built (contextdir); the main package when omitted. */
  readonly context?: string;
  readonly arch?: string;
}

interface Step {
  runs?: string;
  uses?: string;
  'working-directory'?: string;
  pipeline?: Step[];
}

/**
 * A test-only stand-in for the compiler: the shell scripts of a built-in pipeline with
 * `${{inputs.*}}` (given values, then declared defaults), `${{targets.*}}`, `${{build.arch}}`
 * and `${{host.triplet.gnu}}` replaced. Nested `uses:` are left out.
 */
export function pipelineScripts(
  name: string,
  vars: PipelineVars,
  given: Readonly<Record<string, string>> = {},
): { script: string; workdir: string }[] {
  const text = BUILTIN_PIPELINES.get(name);
  if (text === undefined) throw new Error(`no built-in pipeline ${name}`);
  const doc = parse(text) as { inputs?: Record<string, { default?: unknown }>; pipeline?: Step[] };
  const outdir = `${vars.home}/melange-out`;
  const arch = vars.arch ?? (process.arch === 'arm64' ? 'aarch64' : 'x86_64');
  const values: Record<string, string> = {
    'targets.outdir': outdir,
    'targets.destdir': `${outdir}/${vars.packageName}`,
    'targets.contextdir': `${outdir}/${vars.context ?? vars.packageName}`,
    'targets.subpkgdir': `${outdir}/${vars.context ?? vars.packageName}`,
    'build.arch': arch,
    'host.triplet.gnu': `${arch}-pc-linux-gnu`,
    'context.name': vars.context ?? vars.packageName,
  };
  for (const [key, spec] of Object.entries(doc.inputs ?? {})) {
    values[`inputs.${key}`] = given[key] ?? (spec?.default === undefined ? '' : String(spec.default));
  }
  const subst = (s: string): string =>
    s.replace(/\$\{\{\s*([A-Za-z0-9._-]+)\s*\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new Error(`${name}: no value for ${key}`);
      return subst(value);
    });
  const out: { script: string; workdir: string }[] = [];
  const walk = (steps: Step[], workdir: string): void => {
    for (const step of steps) {
      const wd = step['working-directory'] === undefined ? workdir : subst(step['working-directory']);
      if (step.runs !== undefined) out.push({ script: subst(step.runs), workdir: wd });
      if (step.pipeline !== undefined) walk(step.pipeline, wd);
    }
  };
  walk(doc.pipeline ?? [], vars.home);
  return out;
}

/** Runs the scripts with bash as melange's guest runs each step (`set -eo pipefail`, cd workdir). */
export async function runPipelineScripts(
  scripts: { script: string; workdir: string }[],
): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  for (const { script, workdir } of scripts) {
    await mkdir(workdir, { recursive: true });
    const full = `set -eo pipefail\ncd '${workdir}'\n${script}\nexit 0\n`;
    const result = await exec('bash', ['-c', full], { cwd: workdir, maxBuffer: 16 << 20 });
    stdout += result.stdout;
    stderr += result.stderr;
  }
  return { stdout, stderr };
}
