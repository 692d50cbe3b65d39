/** The `update-check` job body: a recipe's upstream asked for releases, the recipe bumped when one is newer. */
export { gitTags, parseLsRemoteTags } from './git-tags.js';
export { type UpdateCheckPayload, updateCheckPayload } from './payload.js';
export {
  parseReleaseMonitorVersions,
  RELEASE_MONITOR_URL,
  releaseMonitorUrl,
  releaseMonitorVersions,
} from './release-monitor.js';
export { createUpdateCheckJob, type UpdateCheckJobOptions, updateCheckJob } from './update-check-job.js';
export { GITHUB_URL, type UpdateSource, updateSourceOf } from './update-source.js';
export { compilePatterns, newestVersion, type VersionRules, versionOf } from './version-rules.js';
