/**
 * What the source steps (`fetch`, `git-checkout`) share: the step as the plan gives it, where
 * it runs on the host, and the checks of its inputs. These steps run outside the sandbox, so
 * every path they write is checked to stay inside the workspace.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LarderError } from '../../core/index.js';

/** A source step of a build plan: the pipeline it expands, its name and its final inputs. */
export interface SourceStepInput {
  readonly kind: 'fetch' | 'git-checkout';
  /** The step's name (or `fetch` / `git-checkout`), used in every error. */
  readonly name: string;
  /** The guest working directory (`/home/build` or below). */
  readonly workdir: string;
  /** Every declared input after defaults and substitutions. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** Where a source step runs. */
export interface SourceStepContext {
  /** The host directory bound as the guest's `/home/build`. */
  readonly workspace: string;
  /** The guest path of the workspace; `/home/build` by default. */
  readonly guestHome?: string;
  /** The recipe file, named in errors. */
  readonly recipe?: string;
}

/** What a source step reports back (libraries do not print: the runner shows these lines). */
export interface SourceStepResult {
  /** Informational lines (`tag v1 is <commit>`, checksum used). */
  readonly messages: readonly string[];
  /** Warnings worth showing (no expected-commit, annotated tag object given as commit). */
  readonly warnings: readonly string[];
}

/** `recipe.yaml: step 'name' (fetch)`: how errors name the step. */
export function stepLabel(step: SourceStepInput, context: SourceStepContext): string {
  const where = context.recipe === undefined ? '' : `${context.recipe}: `;
  return step.name === step.kind
    ? `${where}step '${step.kind}'`
    : `${where}step '${step.name}' (${step.kind})`;
}

/** An input's value, '' when absent. */
export function input(step: SourceStepInput, key: string): string {
  return (step.inputs[key] ?? '').trim();
}

/** Throws PIPELINE_INVALID naming the step, the input and its value. */
export function invalidInput(label: string, key: string, value: string, want: string): LarderError {
  return new LarderError('PIPELINE_INVALID', `${label}: input ${key}: ${JSON.stringify(value)} ${want}`);
}

/** A `true`/`false` input (melange compares the text). */
export function booleanInput(step: SourceStepInput, key: string, label: string, fallback: boolean): boolean {
  const value = input(step, key);
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidInput(label, key, value, 'must be true or false');
}

/** A non-negative integer input. */
export function integerInput(step: SourceStepInput, key: string, label: string, fallback: number): number {
  const value = input(step, key);
  if (value === '') return fallback;
  if (!/^\d{1,9}$/.test(value)) throw invalidInput(label, key, value, 'must be a non-negative integer');
  return Number(value);
}

/**
 * The host directory for a guest working directory plus a relative path input, refusing any
 * path that leaves the workspace (source steps run on the host, not in the sandbox).
 */
export function hostPath(
  context: SourceStepContext,
  step: SourceStepInput,
  label: string,
  key: string,
  value: string,
): string {
  const home = context.guestHome ?? '/home/build';
  const guest = resolve(step.workdir === '' ? home : resolve(home, step.workdir), value === '' ? '.' : value);
  const inside = relative(home, guest);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw invalidInput(label, key, value, `leaves the workspace ${home} (resolved to ${guest})`);
  }
  return resolve(context.workspace, inside);
}
