import type { PipelineStep } from '../recipe/pipeline-schema.js';

/**
 * melange `propagatePipelines` (parse time, build pipelines only, not tests): a nested step
 * without `working-directory` takes its parent's, and the parent's environment under its own.
 */
export function propagate(steps: readonly PipelineStep[]): PipelineStep[] {
  return steps.map((step) => {
    if (step.pipeline === undefined) return step;
    const children = step.pipeline.map((child) => {
      const workdir = child['working-directory'] ?? step['working-directory'];
      const environment =
        step.environment === undefined ? child.environment : { ...step.environment, ...child.environment };
      return {
        ...child,
        ...(workdir !== undefined && { 'working-directory': workdir }),
        ...(environment !== undefined && { environment }),
      };
    });
    return { ...step, pipeline: propagate(children) };
  });
}
