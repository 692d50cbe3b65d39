import { RootTree, synthDir, synthFile } from '../../../../src/image/assemble/tree.js';

/** A node of {@link rootOf}: file content, a symlink, a directory or a character device. */
export type Spec = string | Buffer | { link: string } | { dir: true } | { device: true };

/** A root tree from `path → spec` (mtime 7), with missing parent directories made. */
export function rootOf(spec: Record<string, Spec>): RootTree {
  const tree = new RootTree();
  for (const [path, value] of Object.entries(spec)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (tree.get(dir) === undefined) tree.set(dir, synthDir(0o755, 7));
    }
    if (typeof value === 'string' || Buffer.isBuffer(value)) tree.set(path, synthFile(value, 0o644, 7));
    else if ('link' in value)
      tree.set(path, { ...synthDir(0o777, 7), type: 'symlink', linkname: value.link });
    else if ('dir' in value) tree.set(path, synthDir(0o755, 7));
    else tree.set(path, { ...synthDir(0o666, 7), type: 'chardev', devmajor: 1, devminor: 3 });
  }
  return tree;
}
