import { LarderError } from '../../core/index.js';
import type { PathMutation } from '../config/model.js';
import { symlinkNode } from './init-db.js';
import { type RootNode, type RootTree, synthDir, synthFile } from './tree.js';

/**
 * apko `mutatePaths` (formats.md §4.1 `paths`), in config order: create a directory (mkdir -p),
 * an empty file, a hard link or a symlink, or change permissions; then permissions and ownership
 * are applied to the path (recursively for `directory` and `permissions` with `recursive`).
 * Ownership changes only when uid or gid is set (the other then defaults to 0). Symlinks keep
 * their 0777 mode: Linux has no symlink permissions.
 */
export function applyPaths(tree: RootTree, paths: readonly PathMutation[], mtime: number): void {
  for (const mut of paths) {
    const where = `paths: ${mut.type ?? '?'} ${mut.path ?? '?'}`;
    const path = relative(mut.path, where);
    const real = tree.resolveParent(path, where);
    const parent = real.includes('/') ? real.slice(0, real.lastIndexOf('/')) : '';
    switch (mut.type) {
      case 'directory':
        tree.mkdirAll(real, () => synthDir(mut.permissions ?? 0o755, mtime));
        break;
      case 'empty-file':
        tree.mkdirAll(parent, () => synthDir(0o755, mtime));
        tree.set(real, synthFile('', mut.permissions ?? 0o644, mtime));
        break;
      case 'hardlink': {
        tree.mkdirAll(parent, () => synthDir(0o755, mtime));
        const source = tree.resolveParent(relative(mut.source, `${where}: source`), where);
        const target = tree.get(source);
        if (target?.type !== 'file') throw bad(`${where}: source ${mut.source ?? ''} is not a regular file`);
        const link: RootNode = { ...target, type: 'hardlink', linkname: source };
        delete link.owner;
        tree.set(real, link);
        break;
      }
      case 'symlink':
        if (mut.source === undefined || mut.source === '') throw bad(`${where}: symlink needs a source`);
        tree.mkdirAll(parent, () => synthDir(0o755, mtime));
        if (tree.get(real) !== undefined) throw bad(`${where}: ${mut.path} already exists`);
        tree.set(real, symlinkNode(mut.source, mtime));
        break;
      case 'permissions':
        if (tree.get(real) === undefined) throw bad(`${where}: no such file or directory`);
        break;
      default:
        throw bad(`${where}: unsupported path mutation type ${JSON.stringify(mut.type)}`);
    }
    const recursive = mut.recursive === true && (mut.type === 'directory' || mut.type === 'permissions');
    for (const p of recursive ? subtree(tree, real) : [real]) {
      const node = tree.get(p);
      if (node !== undefined) tree.set(p, mutate(node, mut));
    }
  }
}

function mutate(node: RootNode, mut: PathMutation): RootNode {
  const out = { ...node };
  if (mut.permissions !== undefined && node.type !== 'symlink') out.mode = mut.permissions & 0o7777;
  if (mut.uid !== undefined || mut.gid !== undefined) {
    out.uid = mut.uid ?? 0;
    out.gid = mut.gid ?? 0;
  }
  return out;
}

function subtree(tree: RootTree, root: string): string[] {
  const prefix = `${root}/`;
  return [root, ...[...tree.paths()].filter((p) => p.startsWith(prefix))];
}

function relative(path: string | undefined, where: string): string {
  const trimmed = (path ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === '' || trimmed.split('/').includes('..'))
    throw new LarderError('CONFIG_INVALID', `${where}: path must name something inside the image`);
  return trimmed;
}

function bad(message: string): LarderError {
  return new LarderError('CONFIG_INVALID', message);
}
