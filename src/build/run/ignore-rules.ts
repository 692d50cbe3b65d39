/**
 * `.melangeignore` in the source directory: files not copied into the workspace. One pattern a
 * line, as melange reads them (xignore): `#` comments and blank lines skipped, surrounding
 * space trimmed, a leading `/` dropped; a pattern is matched against each file's whole path
 * relative to the source directory, `*` and `?` within one path segment, `**` across segments,
 * `[...]` a character class. A pattern naming a directory also ignores everything below it, as
 * in `.dockerignore`. A `!pattern` line re-includes what it matches (melange ignores those too:
 * we read `!` as every other ignore-file format does).
 */
import { posix } from 'node:path';
import { LarderError } from '../../core/index.js';

/** The ignore file melange reads from the source directory. */
export const IGNORE_FILE = '.melangeignore';

/** Compiled rules; `ignored(path)` for a `/`-separated path relative to the source directory. */
export interface IgnoreRules {
  ignored(path: string): boolean;
}

/**
 * Parses an ignore file's text.
 * @throws LarderError USAGE naming `file:line` for a pattern with an unclosed `[`.
 */
export function parseIgnoreRules(text: string, file: string): IgnoreRules {
  const rules: { re: RegExp; include: boolean }[] = [];
  for (const [i, raw] of text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .entries()) {
    if (raw.startsWith('#')) continue;
    let pattern = raw.trim();
    if (pattern === '') continue;
    const include = pattern.startsWith('!');
    if (include) pattern = pattern.slice(1).trim();
    if (pattern === '') continue;
    pattern = posix.normalize(pattern).replace(/\/+$/, '');
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    const source = globSource(pattern);
    if (source === undefined)
      throw new LarderError(
        'USAGE',
        `${file}:${i + 1}: pattern ${JSON.stringify(raw.trim())} has an unclosed [`,
      );
    rules.push({ re: new RegExp(`^${source}(?:/.*)?$`, 's'), include });
  }
  return {
    ignored(path) {
      let out = false;
      for (const rule of rules) if (rule.re.test(path)) out = !rule.include;
      return out;
    },
  };
}

/** A glob as regular-expression source, or undefined when a `[` is not closed. */
function globSource(glob: string): string | undefined {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = glob.slice(i + 1, end).replaceAll('\\', '\\\\');
      if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
      out += `[${body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      i++;
      out += literal(glob[i] as string);
    } else out += literal(c);
  }
  return out;
}

function literal(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
