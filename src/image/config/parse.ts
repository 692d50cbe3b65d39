/** One apko YAML file → ImageConfig, or every problem in it with line:column. */
import { layeringProblem, layeringRequested } from '../layering/layering-config.js';
import type { ConfigIssue, PathSegment } from './issues.js';
import type { ImageConfig } from './model.js';
import { toPlainData } from './plain.js';
import { imageConfigSchema } from './schema.js';
import { toImageConfig } from './to-model.js';
import { issueAt, nodeAt, parseYamlSource, placeOf, type YamlSource } from './yaml-source.js';
import { placeZodIssues } from './zod-issues.js';

/** What parsing one file gave: the config when it is valid, and every problem found. */
export interface ParsedImageConfig {
  readonly config?: ImageConfig;
  /** The `include:` value when there is one, even if the file has problems (to report theirs). */
  readonly include?: string;
  readonly issues: readonly ConfigIssue[];
  readonly source: YamlSource;
}

/**
 * Parses and validates one apko config file (without following `include`). Never throws for
 * bad input: problems come back as issues, all of them, each placed at `file:line:column`.
 */
export function parseImageConfig(text: string, file: string): ParsedImageConfig {
  const { source, issues } = parseYamlSource(text, file);
  if (issues.length > 0) return { issues, source };
  if (source.doc.contents === null) {
    // apko's decoder fails with EOF on an empty document.
    return { issues: [issueAt(source, undefined, [], 'the file is empty')], source };
  }
  let data: unknown;
  try {
    data = toPlainData(source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { issues: [issueAt(source, undefined, [], message)], source };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const node = nodeAt(source, []);
    return {
      issues: [issueAt(source, node, [], 'expected a mapping of apko keys at the top level')],
      source,
    };
  }
  const include = 'include' in data && typeof data.include === 'string' ? data.include : undefined;
  const parsed = imageConfigSchema.safeParse(data);
  if (!parsed.success) {
    return { ...(include && { include }), issues: placeZodIssues(source, data, parsed.error), source };
  }
  const config = toImageConfig(parsed.data);
  return { config, ...(config.include !== undefined && { include: config.include }), issues: [], source };
}

/**
 * Rules apko checks on a file once its includes are merged in (`parse` in apko's
 * image_configuration.go, and `Validate` for format/layering). Placed in `source`.
 */
export function mergedConfigIssues(config: ImageConfig, source: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (path: PathSegment[], message: string) =>
    issues.push(issueAt(source, placeOf(source, path), path, message));
  if (config.contents.baseimage !== undefined) {
    const others = usedWithBaseImage(config);
    if (others.length > 0) {
      at(
        ['contents', 'baseimage'],
        `with a base image only contents, archs and include may be set (found ${others.join(', ')})`,
      );
    }
  }
  if (config.format === 'erofs' && config.layering !== undefined) {
    at(['format'], "layering is not supported with format 'erofs' yet (use one or the other)");
  }
  if (layeringRequested(config.layering)) {
    const problem = layeringProblem(config.layering);
    if (problem !== undefined) at(['layering', problem.field], problem.message);
    if (config.contents.baseimage !== undefined)
      at(['layering'], 'layering cannot be combined with contents.baseimage (apko refuses it too)');
  }
  return issues;
}

function usedWithBaseImage(config: ImageConfig): string[] {
  const e = config.entrypoint;
  const a = config.accounts;
  const used: [string, boolean][] = [
    ['entrypoint', e !== undefined && Object.values(e).some((v) => v !== undefined && v !== '')],
    ['cmd', (config.cmd ?? '') !== ''],
    ['stop-signal', (config.stopSignal ?? '') !== ''],
    ['work-dir', (config.workDir ?? '') !== ''],
    ['accounts', (a.runAs ?? '') !== '' || a.users.length > 0 || a.groups.length > 0],
    ['environment', Object.keys(config.environment ?? {}).length > 0],
    ['paths', config.paths.length > 0],
    ['annotations', Object.keys(config.annotations ?? {}).length > 0],
  ];
  return used.filter(([, isUsed]) => isUsed).map(([key]) => key);
}
