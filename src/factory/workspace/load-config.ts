/**
 * Reading `<root>/larder.yaml`: parse and validate it, then check that the keys it names exist.
 * Throws one CONFIG_INVALID error listing every problem at `file:line:column`.
 */
import { access, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { LarderError, type PathSegment, type PlacedIssue, placedIssuesError } from '../../core/index.js';
import { issueAt, placeOf, type YamlSource } from '../../image/index.js';
import type { FactoryConfig } from '../model.js';
import { parseFactoryConfig } from './config.js';

/** The workspace configuration file's name. */
export const WORKSPACE_CONFIG = 'larder.yaml';

/** A valid `larder.yaml` and its positioned source (to place problems found later). */
export interface LoadedFactoryConfig {
  readonly file: string;
  readonly config: FactoryConfig;
  readonly source: YamlSource;
}

/**
 * Loads `<root>/larder.yaml` (`root` absolute). Throws NOT_FOUND when it is missing, IO when
 * unreadable, CONFIG_INVALID listing every problem (a named key file that does not exist too).
 */
export async function loadFactoryConfig(root: string): Promise<LoadedFactoryConfig> {
  const file = join(root, WORKSPACE_CONFIG);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LarderError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      code === 'ENOENT'
        ? `${file}: no such file: a workspace holds a ${WORKSPACE_CONFIG} (larder init DIR makes one)`
        : `cannot read ${file}: ${(err as Error).message}`,
      { subject: file, cause: err },
    );
  }
  const parsed = parseFactoryConfig(text, file, root);
  if (parsed.config === undefined) throw invalidFactoryConfig(file, parsed.issues);
  const issues = await missingFiles(parsed.config, parsed.source);
  if (issues.length > 0) throw invalidFactoryConfig(file, issues);
  return { file, config: parsed.config, source: parsed.source };
}

/** One CONFIG_INVALID error for `larder.yaml`, every issue on its own line. */
export function invalidFactoryConfig(file: string, issues: readonly PlacedIssue[]): LarderError {
  return placedIssuesError('CONFIG_INVALID', 'invalid workspace configuration', file, issues);
}

async function missingFiles(config: FactoryConfig, source: YamlSource): Promise<PlacedIssue[]> {
  const wanted: [PathSegment[], string][] = [[['repository', 'signing-key'], config.repository.signingKey]];
  if (config.images.signingKey !== undefined)
    wanted.push([['images', 'signing-key'], config.images.signingKey]);
  config.repository.extraKeyring.forEach((key, i) => {
    if (isAbsolute(key)) wanted.push([['repository', 'extra-keyring', i], key]);
  });
  const issues: PlacedIssue[] = [];
  for (const [path, file] of wanted) {
    if (!(await exists(file)))
      issues.push(issueAt(source, placeOf(source, path), path, `no such file ${file}`));
  }
  return issues;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
