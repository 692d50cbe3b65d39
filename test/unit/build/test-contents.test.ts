import { describe, expect, it } from 'vitest';
import { parseRecipe } from '../../../src/build/recipe/index.js';
import { testSourcesOf } from '../../../src/build/test-run/test-contents.js';

const sub = (name: string): string => ['$', '{{', name, '}}'].join('');

const text = [
  'package:',
  '  name: hello',
  '  version: 1.0.0',
  '  epoch: 0',
  'test:',
  '  environment:',
  '    contents:',
  '      repositories: [https://main.example/os]',
  '      keyring: [main.rsa.pub]',
  '  pipeline:',
  '    - runs: "true"',
  'subpackages:',
  `  - name: ${sub('package.name')}-doc`,
  '    test:',
  '      environment:',
  '        contents:',
  '          repositories: ["@local /tmp/doc-repo"]',
  '      pipeline:',
  '        - runs: "true"',
  '  - name: hello-bare',
  '    test:',
  '      pipeline:',
  '        - runs: "true"',
  '',
].join('\n');

describe('testSourcesOf', () => {
  const { recipe } = parseRecipe(text, 'hello.yaml');
  if (recipe === undefined) throw new Error('the recipe parses');

  it("gives the main package's and a substituted subpackage name's test repositories and keys", () => {
    expect(testSourcesOf(recipe, 'hello')).toEqual({
      repositories: ['https://main.example/os'],
      keyring: ['main.rsa.pub'],
    });
    expect(testSourcesOf(recipe, 'hello-doc')).toEqual({
      repositories: ['@local /tmp/doc-repo'],
      keyring: [],
    });
  });

  it('gives none for a test without contents or a package the recipe does not have', () => {
    expect(testSourcesOf(recipe, 'hello-bare')).toEqual({ repositories: [], keyring: [] });
    expect(testSourcesOf(recipe, 'hello-absent')).toEqual({ repositories: [], keyring: [] });
  });
});
