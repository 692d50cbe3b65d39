import { createHash } from 'node:crypto';
import type { ImageAccounts } from '../config/model.js';
import { type RootNode, type RootTree, synthDir, synthFile } from './tree.js';

/** apko's GECOS field for configured users (`accounts.go appendUser`). */
export const APKO_USER_INFO = 'Account created by apko';

/**
 * apko `MutateAccounts` (formats.md §4.5): appends configured groups to `/etc/group` (created
 * only when groups are configured) and users to `/etc/passwd` (always created, empty when no
 * package ships it and no user is configured, as apko's golden image shows), locks configured users in
 * `/etc/shadow`, and creates missing home directories (0700, owned by the user; parents 0755).
 * An edited package file keeps its owner and mode; its mtime becomes `mtime`.
 */
export function applyAccounts(tree: RootTree, accounts: ImageAccounts, mtime: number): void {
  const groupLines = accounts.groups.map(
    (g) => `${g.groupname ?? ''}:x:${g.gid ?? 0}:${g.members.join(',')}`,
  );
  const users = accounts.users.map((u) => {
    const name = u.username ?? '';
    const uid = u.uid ?? 0;
    // apko: an unset (zero) gid is guessed to be the uid.
    const gid = u.gid === undefined || u.gid === 0 ? uid : u.gid;
    return { name, uid, gid, home: u.homedir ?? `/home/${name}`, shell: u.shell ?? '/bin/sh' };
  });
  if (groupLines.length > 0) appendLines(tree, 'etc/group', groupLines, 0o644, mtime);
  appendLines(
    tree,
    'etc/passwd',
    users.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${APKO_USER_INFO}:${u.home}:${u.shell}`),
    0o644,
    mtime,
  );
  if (users.length > 0) {
    appendLines(
      tree,
      'etc/shadow',
      users.map((u) => `${u.name}:!:::::::`),
      0o640,
      mtime,
    );
  }
  for (const entry of parsePasswd(textOf(tree, 'etc/passwd'))) {
    const home = entry.home.replace(/^\/+/, '').replace(/\/+$/, '');
    if (entry.home === '/dev/null' || home === '' || home.split('/').includes('..')) continue;
    const real = tree.resolveParent(home, '/etc/passwd');
    if (tree.get(real) !== undefined) continue;
    const slash = real.lastIndexOf('/');
    if (slash > 0) tree.mkdirAll(real.slice(0, slash), () => synthDir(0o755, mtime));
    tree.set(real, { ...synthDir(0o700, mtime), uid: entry.uid, gid: entry.gid });
  }
}

function appendLines(
  tree: RootTree,
  path: string,
  lines: readonly string[],
  mode: number,
  mtime: number,
): void {
  const existing = tree.get(path);
  if (existing !== undefined && existing.type !== 'file') return;
  let text = existing?.data?.toString('utf8') ?? '';
  if (lines.length === 0 && existing !== undefined) return;
  if (text !== '' && !text.endsWith('\n')) text += '\n';
  text += lines.map((l) => `${l}\n`).join('');
  const node: RootNode = existing ?? synthFile('', mode, mtime);
  const data = Buffer.from(text);
  tree.set(path, { ...node, data, mtime, sha1: createHash('sha1').update(data).digest('hex') });
}

/** The text of a regular file in the tree, or '' when absent. */
export function textOf(tree: RootTree, path: string): string {
  const node = tree.get(path);
  return node?.type === 'file' ? (node.data?.toString('utf8') ?? '') : '';
}

/** `name:x:uid:gid:gecos:home:shell` lines; malformed lines are skipped, as apko's reader does. */
export function parsePasswd(text: string): Array<{ name: string; uid: number; gid: number; home: string }> {
  const out: Array<{ name: string; uid: number; gid: number; home: string }> = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || !/^\d+$/.test(f[2] ?? '') || !/^\d+$/.test(f[3] ?? '')) continue;
    out.push({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '' });
  }
  return out;
}

/** `name:x:gid:members` lines → gid → name (a later line wins, like apko's map). */
export function parseGroupNames(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2] ?? '')) continue;
    out.set(Number(f[2]), f[0] ?? '');
  }
  return out;
}
