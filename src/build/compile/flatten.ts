/**
 * Compiled steps → plan steps in run order, as melange's `runPipeline` walks them: a step whose
 * `if` is false is skipped with its children; a step runs its own script, then its children;
 * `fetch` and `git-checkout` stay structured (they run outside the sandbox).
 */
import { evaluateCondition } from '../recipe/condition.js';
import type { CompiledStep } from './compile-step.js';
import type { PlanStep } from './plan.js';

const WORKDIR = '/home/build';
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin';
const SOURCE_PIPELINES = new Set(['fetch', 'git-checkout']);

/**
 * Appends the plan steps of `step` (and its children) to `out`. A step with neither name nor
 * `uses` takes its nearest named ancestor's (melange logs nothing for it), else `???`.
 */
export function flattenStep(step: CompiledStep, out: PlanStep[], inherited = '???'): void {
  if (step.if !== undefined && step.if !== '' && !evaluateCondition(step.if)) return;
  const workdir = absoluteWorkdir(step.workdir);
  const name = step.name ?? step.uses ?? inherited;
  if (step.expanded && step.uses !== undefined && SOURCE_PIPELINES.has(step.uses)) {
    out.push({ kind: step.uses as 'fetch' | 'git-checkout', name, workdir, inputs: step.inputs });
    return;
  }
  if (step.runs.trim() !== '') {
    out.push({
      kind: 'run',
      name,
      workdir,
      environment: { PATH, ...step.environment },
      script: script(workdir, step.runs),
    });
  }
  for (const child of step.children) flattenStep(child, out, name);
}

/** The packages every running step needs (melange `gatherDeps`). */
export function gatherNeeds(step: CompiledStep, out: string[]): void {
  if (step.if !== undefined && step.if !== '' && !evaluateCondition(step.if)) return;
  out.push(...step.needs);
  for (const child of step.children) gatherNeeds(child, out);
}

function absoluteWorkdir(dir: string | undefined): string {
  if (dir === undefined || dir === '') return WORKDIR;
  if (dir.startsWith('/')) return dir;
  const parts: string[] = WORKDIR.split('/').filter(Boolean);
  for (const part of dir.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function script(workdir: string, runs: string): string {
  const dir = shellQuote(workdir);
  return `set -eo pipefail\n[ -d ${dir} ] || mkdir -p ${dir}\ncd ${dir}\n${runs}\nexit 0`;
}

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
