// biome-ignore-all lint/suspicious/noTemplateCurlyInString: melange substitutions
import { describe, expect, it } from 'vitest';
import { compileRecipeText, PipelineLibrary, parsePipelineFile } from './recipe-kit.js';

const BAD = 'test/fixtures/bad/pipelines';
const recipe = (uses: string) => `package:\n  name: p\n  version: "1"\npipeline:\n  - uses: ${uses}\n`;

function failure(uses: string): string {
  const library = new PipelineLibrary([BAD], new Map());
  try {
    compileRecipeText(recipe(uses), 'p.yaml', { library });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('compiled');
}

describe('pipeline files', () => {
  it('reads name, needs, inputs and steps; ignores keys melange ignores', () => {
    const step = parsePipelineFile(
      'name: n\ndescription: ignored\nneeds:\n  packages: [make]\ninputs:\n  a:\n    default: "1"\n    required: true\npipeline:\n  - runs: make ${{inputs.a}}\n',
      'n.yaml',
    );
    expect(step).toEqual({
      name: 'n',
      needs: { packages: ['make'] },
      inputs: { a: { default: '1', required: true } },
      pipeline: [{ runs: 'make ${{inputs.a}}' }],
    });
  });

  it('reports bad types and step rules at line:column of the pipeline file', () => {
    const message = failure('local/bad-input');
    expect(message).toContain(
      'p.yaml:5:5: pipeline[0]: invalid pipeline test/fixtures/bad/pipelines/local/bad-input.yaml:',
    );
    expect(message).toContain(
      "bad-input.yaml:4:15: inputs.who.required: expected a boolean (true or false), got 'maybe'",
    );
    expect(message).toContain("bad-input.yaml:7:5: pipeline[0].with: 'with' needs 'uses'");
  });

  it('reports a file that is not a mapping, and YAML syntax errors', () => {
    expect(failure('local/not-a-map')).toContain(
      'not-a-map.yaml:1:1: expected a mapping (name, needs, inputs, pipeline)',
    );
    expect(failure('local/syntax')).toMatch(/syntax\.yaml:\d+:\d+: /);
  });

  it('refuses absolute and parent paths in uses', () => {
    expect(failure('../escape')).toContain("must not be an absolute path or contain '..'");
    expect(failure('/etc/passwd')).toContain("must not be an absolute path or contain '..'");
  });
});
