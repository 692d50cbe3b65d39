import { formatInstalledDb, type InstalledPackage } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { APK_DB_DIR } from '../assemble/init-db.js';
import type { RootNode, RootTree } from '../assemble/tree.js';
import type { PackageGroup } from './group-packages.js';

/** One layer's tar entries, in the order they are written. */
export type LayerEntries = ReadonlyArray<readonly [string, RootNode]>;

const INSTALLED_DB = `${APK_DB_DIR}/installed`;

/** A layer being filled: its entries and the directories it already holds on the walk's path. */
interface Pending {
  readonly entries: Array<readonly [string, RootNode]>;
  stack: string[];
}

/**
 * Partitions a finished tree into one layer per package group (bottom first) plus a top layer,
 * as apko's `splitLayers` walks its filesystem once:
 * - files, symlinks, hard links and devices a package installed go to its layer (a hard link
 *   to the layer of the file it names, as apko's shared inode does); everything else
 *   (directories, synthesized files and devices: world, keys, the installed database...) goes
 *   to the top layer, in walk order;
 * - before an entry, its layer gets the directories on the walk's current directory path that
 *   it does not hold yet (apko's `alignStacks`), with the entry's mtime so that layers do not
 *   depend on other layers' timestamps; the top layer's copy of each directory keeps the real
 *   one. Like apko, the path is the stack of directories walked, so a directory walked just
 *   before a sibling file may be included too;
 * - when the walk reaches the installed database, each package layer gets its own packages'
 *   records (scanners read layers one by one); the top layer gets the whole database.
 * The union of the layers, applied in order, is the single-layer tree.
 *
 * @throws LarderError USAGE when a tree entry names an owner that is in no group.
 */
export function splitLayers(
  tree: RootTree,
  groups: readonly PackageGroup[],
  installed: readonly InstalledPackage[],
): LayerEntries[] {
  const layers: Pending[] = [...groups, undefined].map(() => ({ entries: [], stack: [] }));
  const top = layers[layers.length - 1]!;
  const layerOf = new Map<string, Pending>();
  groups.forEach((g, i) => {
    for (const p of g.packages) layerOf.set(p.name, layers[i]!);
  });
  const walked: string[] = [];
  for (const path of tree.walk()) {
    const node = tree.get(path);
    if (node === undefined) continue;
    if (node.type === 'directory') {
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      while (walked.length > 0 && walked[walked.length - 1] !== parent) walked.pop();
      walked.push(path);
    }
    const owner = ownerOf(tree, node);
    const layer = owner === undefined ? top : layerOf.get(owner);
    if (layer === undefined)
      throw new LarderError('USAGE', `layering: ${path} belongs to ${owner}, which is in no layer`);
    addParents(tree, layer, walked, path, node.mtime);
    layer.entries.push([path, node]);
    if (path === INSTALLED_DB) {
      groups.forEach((g, i) => {
        const own = layers[i]!;
        addParents(tree, own, walked, path, node.mtime);
        const data = Buffer.from(formatInstalledDb(recordsOf(g, installed)));
        const partial: RootNode = { ...node, data };
        delete partial.sha1;
        own.entries.push([path, partial]);
      });
    }
  }
  return layers.map((l) => l.entries);
}

/** The package whose layer holds `node`; undefined for the top layer. */
function ownerOf(tree: RootTree, node: RootNode): string | undefined {
  if (node.type === 'directory') return undefined;
  if (node.type === 'hardlink') {
    // A link must sit in the layer of the file it names (or a layer above it).
    const target = node.linkname === undefined ? undefined : tree.get(node.linkname);
    return target === undefined ? node.owner : target.owner;
  }
  return node.owner;
}

/** apko `alignStacks`: writes the directories of `walked` that `layer` lacks, then adopts it. */
function addParents(tree: RootTree, layer: Pending, walked: readonly string[], path: string, mtime: number) {
  let i = 0;
  while (i < walked.length && i < layer.stack.length && layer.stack[i] === walked[i]) i++;
  if (i === walked.length) {
    layer.stack = layer.stack.slice(0, i);
    return;
  }
  for (const dir of walked.slice(i)) {
    if (dir === path) continue;
    const node = tree.get(dir);
    if (node !== undefined) layer.entries.push([dir, { ...node, mtime }]);
  }
  layer.stack = [...walked];
}

function recordsOf(group: PackageGroup, installed: readonly InstalledPackage[]): InstalledPackage[] {
  const byName = new Map(installed.map((p) => [p.record.name, p]));
  return group.packages.flatMap((p) => {
    const found = byName.get(p.name);
    return found === undefined ? [] : [found];
  });
}
