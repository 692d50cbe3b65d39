import { LarderError } from '../core/index.js';

function unsafe(name: string, why: string): LarderError {
  return new LarderError('TAR_UNSAFE_PATH', `unsafe tar entry path ${JSON.stringify(name)}: ${why}`);
}

/**
 * Normalises an archive entry name and refuses names that could land outside the extraction
 * root. Strips leading `./`, drops `.` components, collapses `//` and a trailing `/`; the root
 * itself (`./`) becomes `.`. Throws TAR_UNSAFE_PATH for empty or absolute names, NUL bytes and
 * any `..` component, even one that would stay inside (`a/../b`): packages never need it.
 */
export function safeEntryPath(name: string): string {
  if (name === '') throw unsafe(name, 'empty name');
  if (name.includes('\0')) throw unsafe(name, 'contains a NUL byte');
  if (name.startsWith('/')) throw unsafe(name, 'absolute path');
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw unsafe(name, '".." component');
    parts.push(part);
  }
  return parts.length === 0 ? '.' : parts.join('/');
}

/**
 * Checks a link entry's target. A hardlink target names another entry, so it must itself be a
 * safe entry path. A relative symlink target must not climb above the root when resolved
 * lexically from the entry's directory. Absolute symlink targets are allowed: inside an image
 * root they resolve within the root. This is a lexical check: extraction must still refuse to
 * write through symlinks it created. Throws TAR_UNSAFE_PATH.
 */
export function checkLinkTarget(entryPath: string, type: 'symlink' | 'hardlink', target: string): void {
  const path = safeEntryPath(entryPath);
  const refuse = (why: string): LarderError =>
    new LarderError(
      'TAR_UNSAFE_PATH',
      `unsafe ${type} ${JSON.stringify(entryPath)} -> ${JSON.stringify(target)}: ${why}`,
    );
  if (target === '') throw refuse('empty target');
  if (target.includes('\0')) throw refuse('target contains a NUL byte');
  if (type === 'hardlink') {
    try {
      safeEntryPath(target);
    } catch (err) {
      throw refuse((err as LarderError).message);
    }
    return;
  }
  if (target.startsWith('/')) return;
  const stack = path.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') stack.push(part);
    else if (stack.pop() === undefined) throw refuse('resolves outside the root');
  }
}
