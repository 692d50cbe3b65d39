/**
 * One pipeline step compiled as melange's `compilePipeline` does: `uses:` replaced by the
 * pipeline's definition (keeping the step's name), `with:` checked against its inputs (unknown
 * input, missing required input, checksum shapes), defaults applied, inputs inherited by
 * children, then `runs`, `working-directory`, `needs` and `if` substituted.
 */
import type { PipelineStep } from '../recipe/pipeline-schema.js';
import { SubstitutionError, substituteFrom, substituteQuoted } from '../recipe/subst.js';
import type { PipelineLibrary } from './pipeline-library.js';
import type { Scope } from './substitution-map.js';

/** A step after compilation: everything substituted, inputs resolved. */
export interface CompiledStep {
  readonly name?: string;
  readonly uses?: string;
  /** True when `uses` was expanded (melange ignores `uses` on a step with its own `pipeline`). */
  readonly expanded: boolean;
  /** The substituted condition, still to evaluate (re-quoted values). */
  readonly if?: string;
  readonly runs: string;
  readonly workdir?: string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly needs: readonly string[];
  /** Every declared input's final value (for fetch and git-checkout). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly children: readonly CompiledStep[];
}

/** A compile problem, with the chain of `uses` it occurred in. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

const SHA_LENGTH: Readonly<Record<string, number>> = {
  'expected-sha256': 64,
  'expected-sha512': 128,
  'expected-commit': 40,
};

/** Compiles `step` in `scope` (the parent's inputs included, for nested steps). */
export function compileStep(library: PipelineLibrary, scope: Scope, input: PipelineStep): CompiledStep {
  let step = input;
  const withs = new Map(Object.entries(input.with ?? {}));
  if (input.uses !== undefined && (input.pipeline ?? []).length === 0) {
    const def = library.get(input.uses);
    step = { ...input, ...def };
    if (input.name !== undefined) step.name = input.name;
    else delete step.name;
    const declared = def.inputs ?? {};
    for (const k of withs.keys()) {
      if (!(k in declared)) {
        const known = Object.keys(declared).sort().join(', ') || 'none';
        throw new CompileError(
          `undefined input '${k}' to pipeline '${input.uses}' (its inputs: ${known})`,
          `with.${k}`,
        );
      }
    }
  }
  const all = new Map(withs);
  for (const [k, decl] of Object.entries(step.inputs ?? {})) {
    if ((all.get(k) ?? '') === '') all.set(k, decl.default ?? '');
    const value = all.get(k) ?? '';
    const length = SHA_LENGTH[k];
    if (value !== '' && length !== undefined && (value.length !== length || !/^[0-9a-fA-F]*$/.test(value))) {
      throw new CompileError(
        `input '${k}' of pipeline '${step.uses ?? step.name ?? '???'}' must be ${length} hex digits, got '${value}'`,
        `with.${k}`,
      );
    }
    if (decl.required === true && value === '') {
      throw new CompileError(
        `required input '${k}' of pipeline '${step.uses ?? step.name ?? '???'}' is missing`,
        'with',
      );
    }
  }
  const mutated = inField('with', () => scope.withInputs(all));
  const workdir = inField('working-directory', () =>
    step['working-directory'] === undefined ? undefined : substituteFrom(mutated, step['working-directory']),
  );
  const expanded = step !== input;
  const children = (step.pipeline ?? []).map((child, i) => {
    const inherited =
      child['working-directory'] === undefined && workdir !== undefined
        ? { ...child, 'working-directory': workdir }
        : child;
    try {
      return compileStep(library, mutated, inherited);
    } catch (err) {
      if (!(err instanceof CompileError || err instanceof SubstitutionError)) throw err;
      // Inside a pipeline file the recipe has no place for it: name the pipeline instead.
      if (expanded) throw new CompileError(`in pipeline '${input.uses}' step ${i + 1}: ${err.message}`);
      throw err instanceof CompileError && err.field !== undefined
        ? new CompileError(err.message, `pipeline.${i}.${err.field}`)
        : new CompileError(err.message, `pipeline.${i}`);
    }
  });
  const inputs: Record<string, string> = {};
  for (const k of Object.keys(step.inputs ?? {})) inputs[k] = mutated.get(`\${{inputs.${k}}}`) ?? '';
  return {
    ...(step.name !== undefined && { name: step.name }),
    ...(step.uses !== undefined && { uses: step.uses }),
    expanded,
    ...(step.if !== undefined && { if: inField('if', () => substituteQuoted(mutated, step.if ?? '')) }),
    runs: inField(expanded ? undefined : 'runs', () => substituteFrom(mutated, step.runs ?? '')),
    ...(workdir !== undefined && { workdir }),
    ...(step.environment !== undefined && { environment: step.environment }),
    needs: inField(undefined, () => (step.needs?.packages ?? []).map((p) => substituteFrom(mutated, p))),
    inputs,
    children,
  };
}

/** Runs `fn`, turning a SubstitutionError into a CompileError placed at `field`. */
function inField<T>(field: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SubstitutionError) throw new CompileError(err.message, field);
    throw err;
  }
}
