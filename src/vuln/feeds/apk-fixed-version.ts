import { versionProblem } from '../../apk/index.js';

/**
 * Why `version` cannot be a distro's fixed version, or undefined when it can: it must be an apk
 * version (apk-tools' rule) ending in a revision `-rN`, as every package version does.
 */
export function fixedVersionProblem(version: string): string | undefined {
  const problem = versionProblem(version);
  if (problem !== undefined) return `is not an apk version (${problem})`;
  if (!/^[0-9].*-r\d+$/.test(version)) return "is not a package version 'version-rN'";
  return undefined;
}
