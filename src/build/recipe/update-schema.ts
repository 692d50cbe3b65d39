/** The `update` block (melange `config.Update`): how the update bot finds new versions. */
import { z } from 'zod';
import { bool, str, stringList } from './scalars.js';

const strip = { 'strip-prefix': str.exactOptional(), 'strip-suffix': str.exactOptional() };

const releaseMonitor = z.strictObject({
  identifier: str.exactOptional(),
  ...strip,
  'version-filter-contains': str.exactOptional(),
  'version-filter-prefix': str.exactOptional(),
});

const github = z.strictObject({
  identifier: str.exactOptional(),
  ...strip,
  'tag-filter': str.exactOptional(),
  'tag-filter-prefix': str.exactOptional(),
  'tag-filter-contains': str.exactOptional(),
  'use-tag': bool.exactOptional(),
});

const git = z.strictObject({
  ...strip,
  'tag-filter-prefix': str.exactOptional(),
  'tag-filter-contains': str.exactOptional(),
});

const oci = z.strictObject({
  identifier: str.exactOptional(),
  ...strip,
  'tag-filter-prefix': str.exactOptional(),
  'tag-filter-contains': str.exactOptional(),
});

const versionData = z.strictObject({
  version_format: str.exactOptional(),
  sources: z
    .array(
      z.strictObject({
        name: str.exactOptional(),
        stream: str.exactOptional(),
        ignore: stringList.exactOptional(),
        commit_source: str.exactOptional(),
        use_release: bool.exactOptional(),
      }),
    )
    .exactOptional(),
});

/** melange `config.Update`. */
export const updateSchema = z.strictObject({
  enabled: bool.exactOptional(),
  manual: bool.exactOptional(),
  'require-sequential': bool.exactOptional(),
  shared: bool.exactOptional(),
  'version-separator': str.exactOptional(),
  'ignore-regex-patterns': stringList.exactOptional(),
  'release-monitor': releaseMonitor.exactOptional(),
  github: github.exactOptional(),
  git: git.exactOptional(),
  oci: oci.exactOptional(),
  version_data: versionData.exactOptional(),
  'version-transform': z
    .array(z.strictObject({ match: str.exactOptional(), replace: str.exactOptional() }))
    .exactOptional(),
  'exclude-reason': str.exactOptional(),
  schedule: z.strictObject({ reason: str.exactOptional(), period: str.exactOptional() }).exactOptional(),
  'enable-prerelease-tags': bool.exactOptional(),
});
