// biome-ignore-all lint/suspicious/noTemplateCurlyInString: melange substitutions and Go replacement templates
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRecipeFile, isLarderErrorLike, pipelineLibrary } from './recipe-kit.js';

const BAD = 'test/fixtures/bad/recipes';
const library = pipelineLibrary(['test/fixtures/recipes/pipelines']);

/** Every problem of a broken recipe, as `line:column: path: message` lines. */
async function problems(name: string): Promise<string[]> {
  const file = join(BAD, name);
  try {
    await compileRecipeFile(file, { library, arch: 'x86_64' });
  } catch (err) {
    if (!isLarderErrorLike(err)) throw err;
    expect(err.code).toBe('RECIPE_INVALID');
    return err.message
      .split('\n')
      .slice(1)
      .map((line) => line.slice(file.length + 1));
  }
  throw new Error(`${name} compiled`);
}

describe('broken recipes: every problem, each at line:column', () => {
  it('unknown keys, wherever they are', async () => {
    expect(await problems('unknown-key.yaml')).toEqual([
      "5:3: package.licence: unknown key 'licence'",
      "8:5: pipeline[0].shell: unknown key 'shell'",
    ]);
  });

  it('an undefined variable in a step', async () => {
    expect(await problems('bad-substitution.yaml')).toEqual([
      '6:11: pipeline[0].runs: variable vars.nope not defined',
    ]);
  });

  it('a required pipeline input that is missing', async () => {
    expect(await problems('missing-input.yaml')).toEqual([
      "7:5: pipeline[0].with: required input 'who' of pipeline 'local/greet' is missing",
    ]);
  });

  it('an input the pipeline does not declare', async () => {
    expect(await problems('unknown-input.yaml')).toEqual([
      "9:15: pipeline[0].with.volume: undefined input 'volume' to pipeline 'local/greet' (its inputs: greeting, who)",
    ]);
  });

  it('an unknown pipeline, naming what exists', async () => {
    const [line] = await problems('unknown-pipeline.yaml');
    expect(line).toMatch(
      /^6:5: pipeline\[0\]: unknown pipeline 'local\/does-not-exist' \(known: .*local\/greet, local\/wrap/,
    );
  });

  it('var-transforms whose regex Go would not compile', async () => {
    expect(await problems('bad-var-transform.yaml')).toEqual([
      "7:12: var-transforms[0].match: '^(\\d+)\\.(\\d+' does not compile: error parsing regexp: Unterminated group",
      "11:12: var-transforms[1].match: '(a)\\1' does not compile: error parsing regexp: invalid escape sequence: `\\1`",
    ]);
  });

  it('a condition that does not parse', async () => {
    expect(await problems('bad-condition.yaml')).toEqual([
      "6:9: pipeline[0].if: expected '==' or '!=' at position 9, got '= '",
    ]);
  });

  it('wrong types and step rules, all at once', async () => {
    expect(await problems('bad-types.yaml')).toEqual([
      "4:10: package.epoch: expected an unsigned integer, got 'minus-one'",
      "6:18: package.options.no-provides: expected a boolean (true or false), got 'maybe'",
      "11:11: pipeline[0].runs: a step cannot have both 'uses: fetch' and 'runs'",
    ]);
  });

  it('a checksum of the wrong shape', async () => {
    expect(await problems('bad-checksum.yaml')).toEqual([
      "9:24: pipeline[0].with.expected-sha256: input 'expected-sha256' of pipeline 'fetch' must be 64 hex digits, got 'abc123'",
    ]);
  });

  it('an undefined range and a subpackage named like its package', async () => {
    expect(await problems('undefined-range.yaml')).toEqual([
      "6:12: subpackages[0].range: undefined range 'nope' (data tables: none)",
      "8:11: subpackages[1].name: subpackage 'broken' has the same name as the main package",
    ]);
  });

  it('YAML syntax errors', async () => {
    const [line] = await problems('syntax-error.yaml');
    expect(line).toMatch(/^\d+:\d+: .*(indented|\])/);
  });

  it('a priority that is not an integer, once the schema holds', async () => {
    const { parseRecipe } = await import('./recipe-kit.js');
    const text =
      'package:\n  name: p\n  version: "1"\n  dependencies:\n    provider-priority: ${{vars.p}}\nvars:\n  p: high\n';
    const parsed = parseRecipe(text, 'p.yaml');
    expect(parsed.issues.map((i) => `${i.line}:${i.column}: ${i.message}`)).toEqual([
      "5:24: priority must be an integer, got 'high'",
    ]);
  });
});
