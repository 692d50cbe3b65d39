/**
 * A pipeline definition file (melange's format: `name`, `needs.packages`, `inputs{description,
 * default, required}`, `pipeline[]`, or a single `runs`), parsed strictly with every problem at
 * `file:line:column`.
 */
import { LarderError } from '../../core/index.js';
import {
  formatIssue,
  issueAt,
  nodeAt,
  parseYamlSource,
  placeZodIssues,
  sortIssues,
} from '../../image/index.js';
import { loadPlain } from '../recipe/fast-yaml.js';
import { type PipelineStep, pipelineFileSchema } from '../recipe/pipeline-schema.js';

/** Parses one pipeline file; throws PIPELINE_INVALID listing every problem. */
export function parsePipelineFile(text: string, file: string): PipelineStep {
  const fail = (list: Parameters<typeof sortIssues>[0]) =>
    new LarderError(
      'PIPELINE_INVALID',
      `invalid pipeline ${file}:\n${sortIssues(list).map(formatIssue).join('\n')}`,
      {
        subject: file,
      },
    );
  const loaded = loadPlain(text);
  if ('error' in loaded) {
    const { issues } = parseYamlSource(text, file);
    throw fail(
      issues.length > 0
        ? issues
        : [{ file, line: loaded.line, column: loaded.column, path: '', message: loaded.error }],
    );
  }
  const data = loaded.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    const { source } = parseYamlSource(text, file);
    throw fail([
      issueAt(source, nodeAt(source, []), [], 'expected a mapping (name, needs, inputs, pipeline)'),
    ]);
  }
  const parsed = pipelineFileSchema.safeParse(data);
  if (!parsed.success) throw fail(placeZodIssues(parseYamlSource(text, file).source, data, parsed.error));
  return parsed.data as PipelineStep;
}
