import {
  BUILD_ARCH_NAMES,
  buildArch,
  buildOrder,
  graphDot,
  graphJson,
  graphText,
  hostBuildArch,
  loadRecipeGraph,
  pipelineLibrary,
  type RecipeGraph,
} from '../../build/index.js';
import { LarderError } from '../../core/index.js';

/** Options of `larder graph`. */
export interface GraphCommandOptions {
  readonly json?: boolean;
  readonly dot?: boolean;
  readonly arch?: string;
  readonly pipelineDir?: string[];
}

/**
 * `larder graph DIR [--json|--dot]`: the build graph of the recipes in DIR, in build order.
 * Text: `name version: dependency...` per recipe; --json: `{order, recipes}`; --dot: Graphviz.
 * A cycle is RECIPE_CYCLE naming its recipes in order.
 */
export async function graphCommand(dir: string, opts: GraphCommandOptions): Promise<void> {
  if (opts.json === true && opts.dot === true)
    throw new LarderError('USAGE', 'use --json or --dot, not both');
  const { graph, order } = await loadOrderedGraph(dir, opts);
  if (opts.json === true) process.stdout.write(`${JSON.stringify(graphJson(graph, order))}\n`);
  else if (opts.dot === true) process.stdout.write(graphDot(graph, order));
  else process.stdout.write(graphText(graph, order));
}

/** The graph of DIR compiled for `--arch` with `--pipeline-dir`, and its build order. */
export async function loadOrderedGraph(
  dir: string,
  opts: { readonly arch?: string; readonly pipelineDir?: string[]; readonly buildOption?: string[] },
): Promise<{ graph: RecipeGraph; order: string[]; arch: string }> {
  const name = opts.arch ?? hostBuildArch();
  const arch = buildArch(name);
  if (arch === undefined)
    throw new LarderError('USAGE', `unknown --arch '${name}' (one of ${BUILD_ARCH_NAMES.join(', ')})`);
  const buildOptions = (opts.buildOption ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
  const { graph } = await loadRecipeGraph(dir, {
    library: pipelineLibrary(opts.pipelineDir ?? []),
    arch: arch.apk,
    buildOptions,
  });
  return { graph, order: buildOrder(graph), arch: arch.apk };
}
