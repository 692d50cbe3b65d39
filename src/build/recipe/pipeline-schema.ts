/**
 * A pipeline step (melange `config.Pipeline`), as it appears in a recipe and in a pipeline
 * file: strict, recursive through `pipeline`. The rules melange's `validatePipelines` checks
 * (with needs uses, uses excludes runs, with excludes runs) are checked here too, per step.
 */
import { z } from 'zod';
import { bool, str, stringList, stringMap, uint } from './scalars.js';

/** One declared input of a pipeline file (melange `config.Input`). */
export const inputSchema = z.strictObject({
  description: str.exactOptional(),
  default: str.exactOptional(),
  required: bool.exactOptional(),
});

/** A pipeline step as parsed. */
export interface PipelineStep {
  if?: string;
  name?: string;
  uses?: string;
  with?: Record<string, string>;
  runs?: string;
  pipeline?: PipelineStep[];
  inputs?: Record<string, z.infer<typeof inputSchema>>;
  needs?: { packages?: string[] };
  label?: string;
  assertions?: { 'required-steps'?: number };
  'working-directory'?: string;
  environment?: Record<string, string>;
}

/**
 * The step object: strict in recipes (yaml.v3 KnownFields), lenient in pipeline files, which
 * melange decodes from a yaml.Node without KnownFields (Wolfi's carry `description` keys).
 */
function stepObject(strict: boolean) {
  const object = strict ? z.strictObject : z.object;
  const self = object({
    if: str.exactOptional(),
    name: str.exactOptional(),
    uses: str.exactOptional(),
    with: stringMap.exactOptional(),
    runs: str.exactOptional(),
    get pipeline() {
      return z.array(strict ? stepSchema : lenientStepSchema).exactOptional();
    },
    inputs: z.record(z.string(), strict ? inputSchema : inputSchema.loose()).exactOptional(),
    needs: object({ packages: stringList.exactOptional() }).exactOptional(),
    label: str.exactOptional(),
    assertions: object({ 'required-steps': uint.exactOptional() }).exactOptional(),
    'working-directory': str.exactOptional(),
    environment: stringMap.exactOptional(),
  });
  return self.superRefine((step, ctx) => {
    if (step.with !== undefined && step.uses === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['with'],
        message: "'with' needs 'uses' (melange: pipeline contains with but no uses)",
      });
    }
    if (step.uses !== undefined && step.runs !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['runs'],
        message: `a step cannot have both 'uses: ${step.uses}' and 'runs'`,
      });
    }
    if (step.with !== undefined && Object.keys(step.with).length > 0 && step.runs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['runs'], message: "a step cannot have both 'with' and 'runs'" });
    }
    if (step.uses !== undefined && (step.uses.startsWith('/') || step.uses.split('/').includes('..'))) {
      ctx.addIssue({
        code: 'custom',
        path: ['uses'],
        message: `'uses: ${step.uses}' must not be an absolute path or contain '..'`,
      });
    }
  });
}

/** A recipe step, strict, with melange's cross-field rules. */
export const stepSchema: z.ZodType<PipelineStep, unknown> = stepObject(true) as unknown as z.ZodType<
  PipelineStep,
  unknown
>;
const lenientStepSchema: z.ZodType<PipelineStep, unknown> = stepObject(false) as unknown as z.ZodType<
  PipelineStep,
  unknown
>;

/** A pipeline file (melange's pipeline format: a step with name, needs, inputs, pipeline). */
export const pipelineFileSchema = lenientStepSchema;
