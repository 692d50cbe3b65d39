import { describe, expect, it } from 'vitest';
import { compileRecipeText, pipelineLibrary, type RecipeFile } from '../../../../../src/build/index.js';
import { LarderError } from '../../../../../src/core/index.js';
import { updateSourceOf } from '../../../../../src/factory/jobs/update-check/index.js';
import { isRetryable } from '../../../../../src/factory/service.js';

type Update = NonNullable<RecipeFile['update']>;

const RECIPE = `package:
  name: tool
  version: 1.0.0
  epoch: 0
  description: a tool
  copyright:
    - license: MIT
pipeline:
  - uses: git-checkout
    with:
      repository: https://example.com/\${{package.name}}.git
      tag: v\${{package.version}}
  - runs: true
`;
const FILE = '/w/recipes/tool.yaml';
const plan = compileRecipeText(RECIPE, FILE, { library: pipelineLibrary([]), arch: 'x86_64' });
const bare = compileRecipeText(
  RECIPE.replace(/ {2}- uses: git-checkout[\s\S]*?v\$\{\{package.version\}\}\n/, ''),
  FILE,
  {
    library: pipelineLibrary([]),
    arch: 'x86_64',
  },
);

function thrown(work: () => unknown): LarderError {
  try {
    work();
  } catch (err) {
    if (err instanceof LarderError) return err;
    throw err;
  }
  throw new Error('expected a LarderError');
}

describe("a recipe's update source", () => {
  it('prefers release-monitor, with its base from LARDER_RELEASE_MONITOR_URL', () => {
    const update: Update = {
      'release-monitor': { identifier: '12', 'strip-prefix': 'v', 'version-filter-prefix': 'v1' },
      git: {},
    };
    const source = updateSourceOf(FILE, update, plan, { LARDER_RELEASE_MONITOR_URL: 'http://rm.test/' });
    expect(source).toMatchObject({
      kind: 'release-monitor',
      url: 'http://rm.test/api/v2/versions/?project_id=12',
      rules: { stripPrefix: 'v', filterPrefix: 'v1', prerelease: false },
    });
    expect(updateSourceOf(FILE, update, plan, {})).toMatchObject({
      url: 'https://release-monitoring.org/api/v2/versions/?project_id=12',
    });
  });

  it('reads github tags under LARDER_GITHUB_URL, tag-filter standing for tag-filter-prefix', () => {
    const update: Update = {
      github: { identifier: 'acme/tool', 'tag-filter': 'v', 'tag-filter-contains': '.' },
    };
    expect(updateSourceOf(FILE, update, plan, {})).toMatchObject({
      kind: 'github',
      repository: 'https://github.com/acme/tool',
      rules: { filterPrefix: 'v', filterContains: '.' },
    });
    expect(updateSourceOf(FILE, update, plan, { LARDER_GITHUB_URL: '/srv/git/' })).toMatchObject({
      repository: '/srv/git/acme/tool',
    });
  });

  it("reads git tags from the git-checkout step's repository, substituted", () => {
    const update: Update = {
      git: { 'strip-prefix': 'v' },
      'version-separator': '_',
      'enable-prerelease-tags': true,
      'version-transform': [{ match: '^(\\d+)$', replace: '$1.0' }],
    };
    const source = updateSourceOf(FILE, update, plan, {});
    expect(source).toMatchObject({
      kind: 'git',
      repository: 'https://example.com/tool.git',
      rules: { stripPrefix: 'v', separator: '_', prerelease: true },
    });
    expect(source.rules.transforms).toHaveLength(1);
  });

  it('rejects what cannot be asked, without retry and naming the file', () => {
    const cases: Array<[Update, string]> = [
      [{}, 'update: no release-monitor, github or git source to ask'],
      [{ 'release-monitor': {} }, "update.release-monitor: 'identifier' (the project id) is required"],
      [
        { github: { identifier: 'just-a-name' } },
        'update.github: \'identifier\' must be <org>/<repo>, got "just-a-name"',
      ],
      [{ github: {} }, "update.github: 'identifier' must be <org>/<repo>, got nothing"],
      [
        { git: {}, 'version-transform': [{ replace: 'x' }] },
        "update.version-transform[0]: 'match' is required",
      ],
      [{ git: {}, 'ignore-regex-patterns': ['[a-'] }, "update.ignore-regex-patterns[0] '[a-'"],
    ];
    for (const [update, message] of cases) {
      const err = thrown(() => updateSourceOf(FILE, update, plan, {}));
      expect(err.code).toBe('RECIPE_INVALID');
      expect(err.message).toContain(`${FILE}: ${message}`);
      expect(isRetryable(err)).toBe(false);
    }
    const none = thrown(() => updateSourceOf(FILE, { git: {} }, bare, {}));
    expect(none.message).toContain('update.git: the pipeline has no git-checkout step with a repository');
  });
});
