import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BuildPlan,
  buildOrder,
  buildRecipeGraph,
  compileRecipeText,
  dependencyName,
  findCycle,
  graphDot,
  loadRecipeGraph,
  pipelineLibrary,
} from '../../../src/build/index.js';
import { own } from '../../kit/paths.js';

const fixtures = own('recipes/graph');
const library = pipelineLibrary([join(fixtures, 'pipelines')]);

/** A plan from a few lines of recipe: name, environment packages, runtime deps, provides. */
function plan(name: string, env: string[] = [], runtime: string[] = [], provides: string[] = []): BuildPlan {
  const list = (key: string, items: string[], indent: string) =>
    items.length === 0 ? [] : [`${indent}${key}:`, ...items.map((i) => `${indent}  - '${i}'`)];
  const text = [
    'package:',
    `  name: ${name}`,
    '  version: "1"',
    '  epoch: 0',
    '  copyright:',
    '    - license: MIT',
    ...(runtime.length + provides.length > 0 ? ['  dependencies:'] : []),
    ...list('runtime', runtime, '    '),
    ...list('provides', provides, '    '),
    ...(env.length > 0 ? ['environment:', '  contents:', ...list('packages', env, '    ')] : []),
    'pipeline:',
    '  - runs: "true"',
  ].join('\n');
  return compileRecipeText(text, `${name}.yaml`, { library });
}

describe('recipe graph', () => {
  it('links through subpackages, declared so: provides, virtual provides and pipeline needs', async () => {
    const { graph } = await loadRecipeGraph(join(fixtures, 'tree'), { library, arch: 'x86_64' });
    const deps = Object.fromEntries(graph.nodes.map((n) => [n.name, n.dependsOn]));
    expect(deps).toEqual({
      alpha: [],
      curl: ['make-tool', 'openssl', 'zlib'],
      'make-tool': [],
      openssl: ['make-tool', 'zlib'],
      zlib: [],
    });
    const zlib = graph.byName.get('zlib');
    expect(zlib?.packages).toEqual(['zlib', 'zlib-dev']);
    expect(zlib?.provides).toEqual(['so:libz.so.1']);
    expect(zlib?.version).toBe('1.3.1-r0');
    expect(graph.byName.get('curl')?.needs).toEqual(['busybox', 'libssl', 'make-tool', 'so:libz.so.1']);
  });

  it('orders dependencies first, ties by name', async () => {
    const { graph } = await loadRecipeGraph(join(fixtures, 'tree'), { library, arch: 'x86_64' });
    expect(buildOrder(graph)).toEqual(['alpha', 'make-tool', 'zlib', 'openssl', 'curl']);
  });

  it('breaks ties by name whatever order the plans come in', () => {
    const plans = [plan('c', ['a']), plan('b'), plan('d', ['a']), plan('a')];
    expect(buildOrder(buildRecipeGraph(plans))).toEqual(['a', 'b', 'c', 'd']);
    expect(buildOrder(buildRecipeGraph([...plans].reverse()))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('prefers the recipe that builds a name over recipes that provide it', () => {
    const graph = buildRecipeGraph([plan('x', ['y']), plan('y'), plan('z', [], [], ['y=1'])]);
    expect(graph.byName.get('x')?.dependsOn).toEqual(['y']);
    const virtual = buildRecipeGraph([
      plan('x', ['v>=1']),
      plan('p', [], [], ['v=1']),
      plan('q', [], [], ['v=2']),
    ]);
    expect(virtual.byName.get('x')?.dependsOn).toEqual(['p', 'q']);
  });

  it('does not infer so: or cmd: provides a recipe does not declare', () => {
    const graph = buildRecipeGraph([plan('app', [], ['so:libfoo.so.1', 'cmd:foo']), plan('foo')]);
    expect(graph.byName.get('app')?.dependsOn).toEqual([]);
  });

  it('reports a cycle with its recipes in order', async () => {
    const { graph } = await loadRecipeGraph(join(fixtures, 'cycle'), { library, arch: 'x86_64' });
    try {
      buildOrder(graph);
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe('RECIPE_CYCLE');
      expect((err as Error).message).toBe('dependency cycle between recipes: a → b → c → a');
    }
    // d waits on the cycle without being in it; walking in from outside reports only the cycle.
    const tail = buildRecipeGraph([plan('d', ['e']), plan('e', ['f']), plan('f', ['e'])]);
    expect(findCycle(tail, new Set())).toEqual(['e', 'f', 'e']);
  });

  it('names both recipes when two build the same package', () => {
    expect(() => buildRecipeGraph([plan('x'), plan('x')])).toThrow(
      /package x is built by two recipes: x.yaml and x.yaml/,
    );
  });

  it('strips constraints, tags and conflicts from names', () => {
    expect(dependencyName('foo>=1.2')).toBe('foo');
    expect(dependencyName('foo@edge=1')).toBe('foo');
    expect(dependencyName('so:libz.so.1=1')).toBe('so:libz.so.1');
    expect(dependencyName('foo~1')).toBe('foo');
    expect(dependencyName('!foo')).toBeUndefined();
    expect(dependencyName('  ')).toBeUndefined();
  });

  it('writes DOT with an edge per dependency', () => {
    const graph = buildRecipeGraph([plan('b', ['a']), plan('a')]);
    expect(graphDot(graph, buildOrder(graph))).toBe(
      'digraph recipes {\n  rankdir=LR;\n  "a";\n  "b";\n  "b" -> "a";\n}\n',
    );
  });

  it('fails on a directory without recipes and lists every recipe that does not compile', async () => {
    await expect(loadRecipeGraph(join(fixtures, 'pipelines'), { library })).rejects.toThrow(/no recipe/);
    await expect(loadRecipeGraph(join(fixtures, 'bad'), { library })).rejects.toThrow(
      /2 recipe\(s\) in .* do not compile:[\s\S]*broken-one\.yaml[\s\S]*broken-two\.yaml/,
    );
  });
});
