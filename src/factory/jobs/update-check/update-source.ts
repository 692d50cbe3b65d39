/**
 * Where a recipe's `update:` section says new versions come from, and the rules turning upstream
 * names into versions. One source is asked: `release-monitor`, else `github` (its tags, read
 * with git from `{github base}/<org/repo>`), else `git` (the tags of the repository the recipe's
 * `git-checkout` step clones).
 */
import type { BuildPlan, RecipeFile } from '../../../build/index.js';
import { LarderError } from '../../../core/index.js';
import { notRetryable } from '../../service.js';
import { RELEASE_MONITOR_URL, releaseMonitorUrl } from './release-monitor.js';
import { compilePatterns, type VersionRules } from './version-rules.js';

/** The public GitHub; LARDER_GITHUB_URL overrides it (tests, mirrors). */
export const GITHUB_URL = 'https://github.com';

export type UpdateSource =
  | { readonly kind: 'release-monitor'; readonly url: string; readonly rules: VersionRules }
  | { readonly kind: 'git' | 'github'; readonly repository: string; readonly rules: VersionRules };

/**
 * The source of `update` (the recipe file's section) and `plan` (its compiled main pipeline).
 * @throws LarderError RECIPE_INVALID (not retryable) naming the file: no usable source, a bad pattern.
 */
export function updateSourceOf(
  file: string,
  update: NonNullable<RecipeFile['update']>,
  plan: BuildPlan,
  env: NodeJS.ProcessEnv,
): UpdateSource {
  const ignore = compilePatterns(file, 'ignore-regex-patterns', update['ignore-regex-patterns'] ?? []);
  const transforms = (update['version-transform'] ?? []).map((t, i) => {
    if (t.match === undefined) throw bad(file, `update.version-transform[${i}]: 'match' is required`);
    const [match] = compilePatterns(file, `version-transform[${i}].match`, [t.match]);
    return { match: match as RegExp, replace: t.replace ?? '' };
  });
  const base = {
    ignore,
    transforms,
    prerelease: update['enable-prerelease-tags'] === true,
    ...(update['version-separator'] !== undefined ? { separator: update['version-separator'] } : {}),
  };
  const strip = (s: { 'strip-prefix'?: string; 'strip-suffix'?: string }) => ({
    ...(s['strip-prefix'] !== undefined ? { stripPrefix: s['strip-prefix'] } : {}),
    ...(s['strip-suffix'] !== undefined ? { stripSuffix: s['strip-suffix'] } : {}),
  });
  const monitor = update['release-monitor'];
  if (monitor !== undefined) {
    if (monitor.identifier === undefined || monitor.identifier === '')
      throw bad(file, "update.release-monitor: 'identifier' (the project id) is required");
    return {
      kind: 'release-monitor',
      url: releaseMonitorUrl(
        env.LARDER_RELEASE_MONITOR_URL || RELEASE_MONITOR_URL,
        String(monitor.identifier),
      ),
      rules: {
        ...base,
        ...strip(monitor),
        ...(monitor['version-filter-prefix'] !== undefined
          ? { filterPrefix: monitor['version-filter-prefix'] }
          : {}),
        ...(monitor['version-filter-contains'] !== undefined
          ? { filterContains: monitor['version-filter-contains'] }
          : {}),
      },
    };
  }
  const github = update.github;
  if (github !== undefined) {
    const id = github.identifier;
    if (id === undefined || !/^[\w.-]+\/[\w.-]+$/.test(id))
      throw bad(
        file,
        `update.github: 'identifier' must be <org>/<repo>, got ${JSON.stringify(id) ?? 'nothing'}`,
      );
    const prefix = github['tag-filter-prefix'] ?? github['tag-filter'];
    return {
      kind: 'github',
      repository: `${(env.LARDER_GITHUB_URL || GITHUB_URL).replace(/\/+$/, '')}/${id}`,
      rules: {
        ...base,
        ...strip(github),
        ...(prefix !== undefined ? { filterPrefix: prefix } : {}),
        ...(github['tag-filter-contains'] !== undefined
          ? { filterContains: github['tag-filter-contains'] }
          : {}),
      },
    };
  }
  const git = update.git;
  if (git !== undefined) {
    const checkout = plan.packages[0]?.steps.find((s) => s.kind === 'git-checkout');
    const repository = checkout?.kind === 'git-checkout' ? checkout.inputs.repository : undefined;
    if (repository === undefined || repository === '')
      throw bad(
        file,
        'update.git: the pipeline has no git-checkout step with a repository to read tags from',
      );
    return {
      kind: 'git',
      repository,
      rules: {
        ...base,
        ...strip(git),
        ...(git['tag-filter-prefix'] !== undefined ? { filterPrefix: git['tag-filter-prefix'] } : {}),
        ...(git['tag-filter-contains'] !== undefined ? { filterContains: git['tag-filter-contains'] } : {}),
      },
    };
  }
  throw bad(file, 'update: no release-monitor, github or git source to ask');
}

function bad(file: string, message: string): LarderError {
  return notRetryable(new LarderError('RECIPE_INVALID', `${file}: ${message}`, { subject: file }));
}
