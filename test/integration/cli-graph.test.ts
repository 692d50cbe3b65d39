import { describe, expect, it } from 'vitest';
import { larder } from '../kit/cli.js';
import { own } from '../kit/paths.js';

// `larder graph` over our own small recipe trees (test/fixtures/recipes/graph/).
const TREE = own('recipes', 'graph', 'tree');
const PIPELINES = ['--pipeline-dir', own('recipes', 'graph', 'pipelines'), '--arch', 'x86_64'];

describe('larder graph', () => {
  it('prints each recipe in build order with what it depends on', () => {
    const r = larder(['graph', TREE, ...PIPELINES]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'alpha 1-r0:',
        'make-tool 4.4-r0:',
        'zlib 1.3.1-r0:',
        'openssl 3.3.0-r1: make-tool zlib',
        'curl 8.9.0-r0: make-tool openssl zlib',
        '',
      ].join('\n'),
    );
  });

  it('--json gives the order and each recipe with its packages, provides and edges', () => {
    const r = larder(['graph', TREE, '--json', ...PIPELINES]);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      order: string[];
      recipes: { name: string; file: string; packages: string[]; provides: string[]; dependsOn: string[] }[];
    };
    expect(doc.order).toEqual(['alpha', 'make-tool', 'zlib', 'openssl', 'curl']);
    const zlib = doc.recipes.find((x) => x.name === 'zlib');
    expect(zlib).toMatchObject({ packages: ['zlib', 'zlib-dev'], provides: ['so:libz.so.1'], dependsOn: [] });
    expect(zlib?.file).toMatch(/tree\/zlib\.yaml$/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--dot gives a Graphviz digraph with one edge per dependency', () => {
    const r = larder(['graph', TREE, '--dot', ...PIPELINES]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.startsWith('digraph recipes {\n')).toBe(true);
    expect(r.stdout.match(/ -> /g)).toHaveLength(5);
    expect(r.stdout).toContain('  "curl" -> "openssl";\n');
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  it('names the recipes of a cycle in order, and refuses --json with --dot', () => {
    const cycle = larder(['graph', own('recipes', 'graph', 'cycle')]);
    expect(cycle.status).toBe(2);
    expect(cycle.stderr).toBe('larder: RECIPE_CYCLE: dependency cycle between recipes: a → b → c → a\n');
    const both = larder(['graph', TREE, '--json', '--dot', ...PIPELINES]);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('use --json or --dot, not both');
  });
});
