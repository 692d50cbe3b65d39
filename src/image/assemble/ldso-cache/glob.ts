import { posix } from 'node:path';

/** The two questions Go's `fs.Glob` asks of a filesystem. */
export interface GlobFs {
  /** Whether `path` exists, links followed (`fs.Stat`). */
  exists(path: string): boolean;
  /** Entry names of directory `path` in byte order, or undefined when it cannot be read. */
  readDir(path: string): string[] | undefined;
}

/** Thrown for a malformed pattern (Go's `path.ErrBadPattern`). */
export class BadPatternError extends Error {}

const META = /[*?[\\]/;

/**
 * Go's `fs.Glob`: `*`, `?`, `[...]` and `\` per path component, matches in directory order,
 * unreadable directories ignored, a pattern without metacharacters returned when it exists.
 * Returned paths are relative, as given.
 *
 * @throws BadPatternError for a malformed pattern, even one that matches nothing.
 */
export function goGlob(fs: GlobFs, pattern: string, depth = 0): string[] {
  if (depth > 10_000) throw new BadPatternError(pattern);
  goMatch(pattern, '');
  if (!META.test(pattern)) return fs.exists(pattern) ? [pattern] : [];
  const slash = pattern.lastIndexOf('/');
  const file = pattern.slice(slash + 1);
  const dir = slash < 0 ? '.' : pattern.slice(0, slash);
  if (!META.test(dir)) return globDir(fs, dir, file, []);
  if (dir === pattern) throw new BadPatternError(pattern);
  const out: string[] = [];
  for (const d of goGlob(fs, dir, depth + 1)) globDir(fs, d, file, out);
  return out;
}

function globDir(fs: GlobFs, dir: string, pattern: string, out: string[]): string[] {
  for (const name of fs.readDir(dir) ?? []) {
    if (goMatch(pattern, name)) out.push(posix.join(dir, name));
  }
  return out;
}

/**
 * Go's `path.Match` over UTF-8 bytes: `*` never crosses `/`, classes may be negated with `^`
 * and hold ranges and `\` escapes.
 *
 * @throws BadPatternError when the pattern is malformed.
 */
export function goMatch(pattern: string, name: string): boolean {
  let p: Buffer = Buffer.from(pattern, 'utf8');
  let s: Buffer = Buffer.from(name, 'utf8');
  outer: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    if (star && chunk.length === 0) return !s.includes(0x2f);
    const here = matchChunk(chunk, s);
    if (here !== undefined && (here.length === 0 || p.length > 0)) {
      s = here;
      continue;
    }
    if (star) {
      for (let i = 0; i < s.length && s[i] !== 0x2f; i++) {
        const t = matchChunk(chunk, s.subarray(i + 1));
        if (t === undefined || (p.length === 0 && t.length > 0)) continue;
        s = t;
        continue outer;
      }
    }
    // No match: the rest of the pattern must still be well-formed.
    while (p.length > 0) {
      const next = scanChunk(p);
      p = next.rest;
      matchChunk(next.chunk, Buffer.alloc(0));
    }
    return false;
  }
  return s.length === 0;
}

function scanChunk(p: Buffer): { star: boolean; chunk: Buffer; rest: Buffer } {
  let start = 0;
  while (start < p.length && p[start] === 0x2a) start++;
  let inRange = false;
  let i = start;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === 0x5c) {
      if (i + 1 < p.length) i++;
    } else if (c === 0x5b) inRange = true;
    else if (c === 0x5d) inRange = false;
    else if (c === 0x2a && !inRange) break;
  }
  return { star: start > 0, chunk: p.subarray(start, i), rest: p.subarray(i) };
}

/** The rest of `s` after `chunk` matched its start; undefined when it does not match. */
function matchChunk(chunkIn: Buffer, sIn: Buffer): Buffer | undefined {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    if (!failed && s.length === 0) failed = true;
    const c = chunk[0];
    if (c === 0x5b) {
      let r = -1;
      if (!failed) {
        const [rune, n] = decodeRune(s);
        r = rune;
        s = s.subarray(n);
      }
      chunk = chunk.subarray(1);
      const negated = chunk[0] === 0x5e;
      if (negated) chunk = chunk.subarray(1);
      let match = false;
      for (let ranges = 0; ; ranges++) {
        if (chunk[0] === 0x5d && ranges > 0) {
          chunk = chunk.subarray(1);
          break;
        }
        const [lo, afterLo] = getEsc(chunk);
        let hi = lo;
        chunk = afterLo;
        if (chunk[0] === 0x2d) [hi, chunk] = getEsc(chunk.subarray(1));
        if (lo <= r && r <= hi) match = true;
      }
      if (match === negated) failed = true;
    } else if (c === 0x3f) {
      if (!failed) {
        if (s[0] === 0x2f) failed = true;
        s = s.subarray(decodeRune(s)[1]);
      }
      chunk = chunk.subarray(1);
    } else {
      if (c === 0x5c) {
        chunk = chunk.subarray(1);
        if (chunk.length === 0) throw new BadPatternError('trailing backslash');
      }
      if (!failed) {
        if (chunk[0] !== s[0]) failed = true;
        s = s.subarray(1);
      }
      chunk = chunk.subarray(1);
    }
  }
  return failed ? undefined : s;
}

/** One class character (`\` escapes), which must be followed by more pattern. */
function getEsc(chunkIn: Buffer): [number, Buffer] {
  let chunk = chunkIn;
  if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d) throw new BadPatternError('bad class');
  if (chunk[0] === 0x5c) {
    chunk = chunk.subarray(1);
    if (chunk.length === 0) throw new BadPatternError('trailing backslash in class');
  }
  const [r, n] = decodeRune(chunk);
  if (r === 0xfffd && n === 1) throw new BadPatternError('invalid UTF-8 in class');
  const rest = chunk.subarray(n);
  if (rest.length === 0) throw new BadPatternError('unterminated class');
  return [r, rest];
}

/** Go's `utf8.DecodeRuneInString`: `[U+FFFD, 1]` for an invalid sequence. */
function decodeRune(b: Buffer): [number, number] {
  const c = b[0];
  if (c === undefined) return [0xfffd, 0];
  if (c < 0x80) return [c, 1];
  const n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? (c < 0xf0 ? 3 : 0) : c >= 0xc2 ? 2 : 0;
  if (n === 0 || b.length < n) return [0xfffd, 1];
  const bytes = b.subarray(0, n);
  const cp = bytes.toString('utf8').codePointAt(0) ?? 0xfffd;
  // Overlong forms and surrogates decode to U+FFFD, which does not re-encode to the same bytes.
  return Buffer.from(String.fromCodePoint(cp), 'utf8').equals(bytes) ? [cp, n] : [0xfffd, 1];
}
