/**
 * The `fetch` and `git-checkout` steps of a recipe's YAML document, in the order the compiled
 * plan runs them: the main pipeline (nested `pipeline:` children after their parent), then each
 * subpackage's. Test pipelines are not built, so they are not visited.
 */
import { type Document, isMap, isSeq, type YAMLMap } from 'yaml';

/** A source step's mapping in the document, with its `with:` mapping when it has one. */
export interface SourceNode {
  readonly uses: 'fetch' | 'git-checkout';
  readonly step: YAMLMap;
  readonly with: YAMLMap | undefined;
}

/** Every source step's node, in plan order. */
export function sourceNodes(doc: Document): SourceNode[] {
  const out: SourceNode[] = [];
  walk(doc.get('pipeline', true), out);
  const subpackages = doc.get('subpackages', true);
  if (isSeq(subpackages))
    for (const sp of subpackages.items) if (isMap(sp)) walk(sp.get('pipeline', true), out);
  return out;
}

function walk(pipeline: unknown, out: SourceNode[]): void {
  if (!isSeq(pipeline)) return;
  for (const step of pipeline.items) {
    if (!isMap(step)) continue;
    const uses = step.get('uses');
    if (uses === 'fetch' || uses === 'git-checkout') {
      const w = step.get('with', true);
      out.push({ uses, step, with: isMap(w) ? w : undefined });
      continue;
    }
    walk(step.get('pipeline', true), out);
  }
}
