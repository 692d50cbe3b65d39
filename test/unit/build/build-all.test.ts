import { describe, expect, it } from 'vitest';
import {
  type BuildPlan,
  buildAll,
  buildOrder,
  buildRecipeGraph,
  compileRecipeText,
  pipelineLibrary,
} from '../../../src/build/index.js';

const library = pipelineLibrary([]);

function plan(name: string, env: string[] = []): BuildPlan {
  const text = [
    'package:',
    `  name: ${name}`,
    '  version: "1"',
    '  epoch: 0',
    ...(env.length > 0
      ? ['environment:', '  contents:', '    packages:', ...env.map((e) => `      - ${e}`)]
      : []),
    'pipeline:',
    '  - runs: "true"',
  ].join('\n');
  return compileRecipeText(text, `${name}.yaml`, { library });
}

// a ← b, a ← c, {b, c} ← d, e alone
const graph = buildRecipeGraph([
  plan('a'),
  plan('b', ['a']),
  plan('c', ['a']),
  plan('d', ['b', 'c']),
  plan('e'),
]);
const order = buildOrder(graph);
const tick = () => new Promise<void>((r) => setTimeout(r, 5));

/** A build log: which recipes ran, and the most that ever ran at once. */
function recorder(fail: ReadonlySet<string> = new Set(), already: readonly string[] = []) {
  const log: string[] = [];
  let running = 0;
  let peak = 0;
  const done = new Set<string>(already);
  return {
    log,
    peak: () => peak,
    build: async (node: { name: string; dependsOn: readonly string[] }) => {
      for (const d of node.dependsOn) if (!done.has(d)) throw new Error(`${node.name} started before ${d}`);
      running += 1;
      peak = Math.max(peak, running);
      log.push(node.name);
      await tick();
      running -= 1;
      if (fail.has(node.name)) throw new Error(`${node.name} broke`);
      done.add(node.name);
    },
  };
}

describe('buildAll', () => {
  it('builds one at a time in build order with -j 1', async () => {
    const r = recorder();
    const result = await buildAll({ graph, order, jobs: 1, isBuilt: () => false, build: r.build });
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r.log).toEqual(order);
    expect(r.peak()).toBe(1);
    expect(result).toEqual({ built: order, skipped: [], failed: [], notBuilt: [] });
  });

  it('runs independent recipes side by side with -j 2, never before their dependencies', async () => {
    const r = recorder();
    const result = await buildAll({ graph, order, jobs: 2, isBuilt: () => false, build: r.build });
    expect(r.peak()).toBe(2);
    expect(r.log.slice(0, 2)).toEqual(['a', 'e']);
    expect(result.built).toEqual(order);
  });

  it('skips what is already built and still builds what depends on it', async () => {
    const r = recorder(new Set(), ['a', 'c']);
    const events: string[] = [];
    const result = await buildAll({
      graph,
      order,
      jobs: 2,
      isBuilt: (n) => n.name === 'a' || n.name === 'c',
      build: r.build,
      onEvent: (e) => events.push(`${e.kind} ${e.recipe}`),
    });
    expect(result.skipped).toEqual(['a', 'c']);
    expect(result.built).toEqual(['b', 'd', 'e']);
    expect(events).toContain('skipped a');
  });

  it('stops scheduling after a failure and reports what failed and what was not built', async () => {
    const r = recorder(new Set(['b']));
    const result = await buildAll({ graph, order, jobs: 1, isBuilt: () => false, build: r.build });
    expect(r.log).toEqual(['a', 'b']);
    expect(result.built).toEqual(['a']);
    expect(result.failed.map((f) => [f.recipe, (f.error as Error).message])).toEqual([['b', 'b broke']]);
    expect(result.notBuilt).toEqual(['c', 'd', 'e']);
  });

  it('lets running builds finish after a failure', async () => {
    const r = recorder(new Set(['a']));
    const result = await buildAll({ graph, order, jobs: 2, isBuilt: () => false, build: r.build });
    expect(result.failed.map((f) => f.recipe)).toEqual(['a']);
    expect(result.built).toEqual(['e']);
    expect(result.notBuilt).toEqual(['b', 'c', 'd']);
  });
});
