/**
 * The build guest's accounts as melange makes them: the recipe's `environment.accounts`, plus
 * group `build` (gid 1000, member `build`) and user `build` (uid 1000, gid 1000) when absent.
 */
import type { RecipeEnvironment } from '../recipe/environment-schema.js';
import type { PlanAccounts } from './plan.js';

const BUILD = 'build';
const BUILD_ID = 1000;

/** The accounts of a build environment. */
export function buildAccounts(env: RecipeEnvironment | undefined): PlanAccounts {
  const accounts = env?.accounts;
  const groups = (accounts?.groups ?? []).map((g) => ({
    groupname: g.groupname ?? '',
    gid: g.gid ?? 0,
    members: g.members ?? [],
  }));
  const users = (accounts?.users ?? []).map((u) => ({
    username: u.username ?? '',
    uid: u.uid ?? 0,
    gid: u.gid ?? u.uid ?? 0,
    ...(u.homedir !== undefined && { homedir: u.homedir }),
    ...(u.shell !== undefined && { shell: u.shell }),
  }));
  if (!groups.some((g) => g.groupname === BUILD))
    groups.push({ groupname: BUILD, gid: BUILD_ID, members: [BUILD] });
  if (!users.some((u) => u.username === BUILD)) users.push({ username: BUILD, uid: BUILD_ID, gid: BUILD_ID });
  return { ...(accounts?.['run-as'] !== undefined && { runAs: accounts['run-as'] }), users, groups };
}
