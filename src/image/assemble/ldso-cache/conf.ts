import { posix } from 'node:path';
import { LarderError } from '../../../core/index.js';
import { BadPatternError, type GlobFs, goGlob } from './glob.js';

/** What reading ld.so.conf needs: globbing, and whole files. */
export interface ConfFs extends GlobFs {
  /** A regular file's bytes (links followed); undefined when missing or not a file. */
  readFile(path: string): Uint8Array | undefined;
}

/** bufio.Scanner's default token limit: a longer line is an error. */
const MAX_LINE = 64 * 1024;
const MAX_DEPTH = 32;

/** A conf file that cannot be read, or a line too long: skipped when included, fatal at the top. */
class Unreadable extends Error {}

/**
 * The library directories of an ld.so.conf, as apko's `ParseLDSOConf` reads it: `#` starts a
 * comment, lines are trimmed, a line repeated in the same file counts once, and
 * `include GLOB` (relative to the root) reads every matching file in order, skipping those
 * that cannot be read and ignoring a malformed glob. As in apko, the first `include` line ends
 * the file: lines after it are not read. Directories are returned as written.
 *
 * @throws LarderError PACKAGE_INVALID when `path` cannot be read or has a line of 64 KiB or
 *   more, or includes nest more than 32 deep or loop.
 */
export function parseLdSoConf(fs: ConfFs, path: string): string[] {
  try {
    return parseFile(fs, path, []);
  } catch (err) {
    if (err instanceof Unreadable) throw new LarderError('PACKAGE_INVALID', `/${path}: ${err.message}`);
    throw err;
  }
}

function parseFile(fs: ConfFs, path: string, chain: readonly string[]): string[] {
  const key = posix.normalize(path);
  if (chain.includes(key) || chain.length >= MAX_DEPTH) {
    throw new LarderError(
      'PACKAGE_INVALID',
      `ld.so.conf includes loop or nest too deep: ${[...chain, key].join(' → ')}`,
    );
  }
  const data = fs.readFile(path);
  if (data === undefined) throw new Unreadable('cannot be read as a file');
  const dirs: string[] = [];
  for (const raw of scanLines(data)) {
    const line = goTrimSpace(raw.split('#', 1)[0]!);
    if (line === '') continue;
    if (line.startsWith('include ')) {
      const glob = goTrimSpace(line.slice('include '.length)).replace(/^\/+/, '');
      let matches: string[];
      try {
        matches = goGlob(fs, glob);
      } catch (err) {
        if (err instanceof BadPatternError) continue;
        throw err;
      }
      for (const match of matches) {
        try {
          dirs.push(...parseFile(fs, match, [...chain, key]));
        } catch (err) {
          if (!(err instanceof Unreadable)) throw err;
        }
      }
      return dirs;
    }
    if (!dirs.includes(line)) dirs.push(line);
  }
  return dirs;
}

/** bufio.ScanLines: split on `\n`, one trailing `\r` dropped, no empty last line; long lines throw. */
function* scanLines(data: Uint8Array): Generator<string> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    if (end - start >= MAX_LINE) throw new Unreadable(`line of ${end - start} bytes is too long`);
    const line = bytes.subarray(start, end);
    yield (line.at(-1) === 0x0d ? line.subarray(0, -1) : line).toString('utf8');
    start = end + 1;
  }
}

const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/** Go's `strings.TrimSpace` (Unicode White_Space, which differs from JavaScript's trim). */
export function goTrimSpace(s: string): string {
  return s.replace(GO_SPACE, '');
}
