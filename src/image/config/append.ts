/**
 * apko's append flags, applied after the `include` merge. apko's build inserts them into sorted
 * sets; larder appends the entries not already listed, keeping the config's own order (which
 * decides the order of entries in a lock). Bad values become issues of the file `options`.
 */
import { type ImageArch, parseArchFlag } from './archs.js';
import { type ConfigIssue, formatPath } from './issues.js';
import type { ImageConfig } from './model.js';
import { repositoryProblem } from './schema.js';
import { worldEntryProblem } from './world-entry.js';

/** The append and arch options (a subset of LoadImageConfigOptions). */
export interface AppendOptions {
  readonly repositoryAppend?: readonly string[];
  readonly buildRepositoryAppend?: readonly string[];
  readonly keyringAppend?: readonly string[];
  readonly packageAppend?: readonly string[];
  readonly archs?: readonly string[];
}

type Check = (value: string) => string | undefined;

const checkKey: Check = (value) => (value === '' ? 'a keyring entry must not be empty' : undefined);

const CHECKS: readonly [keyof Omit<AppendOptions, 'archs'>, Check][] = [
  ['repositoryAppend', repositoryProblem],
  ['buildRepositoryAppend', repositoryProblem],
  ['keyringAppend', checkKey],
  ['packageAppend', worldEntryProblem],
];

/** Every problem with the option values, whether or not the config itself is valid. */
export function optionIssues(options: AppendOptions): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [option, check] of CHECKS) {
    (options[option] ?? []).forEach((value, i) => {
      const problem = check(value);
      if (problem !== undefined)
        issues.push({ file: 'options', path: formatPath([option, i]), message: problem });
    });
  }
  for (const name of parseArchFlag(options.archs ?? []).unknown) {
    issues.push({ file: 'options', path: 'archs', message: `unknown architecture '${name}'` });
  }
  return issues;
}

function appended(list: readonly string[], extra: readonly string[] | undefined): readonly string[] {
  const out = [...list];
  for (const value of extra ?? []) if (!out.includes(value)) out.push(value);
  return out;
}

const trim = (list: readonly string[] | undefined) => list?.map((repo) => repo.replace(/\/+$/, ''));

/**
 * The config with the options applied (check them with {@link optionIssues} first), and the
 * `--arch` archs when that option was given.
 */
export function applyOptions(
  config: ImageConfig,
  options: AppendOptions,
): { config: ImageConfig; archs?: readonly ImageArch[] } {
  const c = config.contents;
  const contents = {
    ...c,
    repositories: appended(c.repositories, trim(options.repositoryAppend)),
    buildRepositories: appended(c.buildRepositories, trim(options.buildRepositoryAppend)),
    keyring: appended(c.keyring, options.keyringAppend),
    packages: appended(c.packages, options.packageAppend),
  };
  const extended = { ...config, contents };
  if (options.archs === undefined || options.archs.length === 0) return { config: extended };
  return { config: extended, archs: parseArchFlag(options.archs).archs };
}
