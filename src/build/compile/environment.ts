/**
 * The build guest of a plan (melange `ParseConfiguration` defaults and `applyBuildOption`):
 * `environment.contents` with enabled build options' package additions and removals and every
 * running pipeline's `needs`; env vars over melange's defaults; accounts with the build user.
 */
import type { RecipeFile } from '../recipe/schema.js';
import { buildAccounts } from './accounts.js';
import type { BuildPlan } from './plan.js';

/** Set only when the recipe leaves them unset or empty. */
const DEFAULT_ENV: Readonly<Record<string, string>> = {
  HOME: '/home/build',
  GOPATH: '/home/build/.cache/go',
  GOMODCACHE: '/var/cache/melange/gomodcache',
  UV_CACHE_DIR: '/var/cache/melange/uv',
  PIP_CACHE_DIR: '/var/cache/melange/pip',
  COMPOSER_CACHE_DIR: '/var/cache/melange/composer',
  npm_config_cache: '/var/cache/melange/npm',
};

/** The plan's environment for a recipe, its pipelines' needs and the enabled build options. */
export function planEnvironment(
  spec: RecipeFile,
  needs: readonly string[],
  enabled: readonly string[],
): BuildPlan['environment'] {
  const env = spec.environment;
  let packages = [...(env?.contents?.packages ?? [])];
  for (const name of enabled) {
    const list = spec.options?.[name]?.environment?.contents?.packages;
    packages = [...packages, ...(list?.add ?? [])].filter((p) => !(list?.remove ?? []).includes(p));
  }
  const vars = Object.fromEntries(Object.entries(env?.environment ?? {}).filter(([, v]) => v !== ''));
  return {
    packages: [...new Set([...packages, ...needs])],
    repositories: env?.contents?.repositories ?? [],
    keyring: env?.contents?.keyring ?? [],
    env: { ...DEFAULT_ENV, ...vars },
    accounts: buildAccounts(env),
  };
}
