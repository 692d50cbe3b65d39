import { invalidAt } from './errors.js';
import { heredocsOfLine } from './heredoc.js';
import type { Directives, Heredoc } from './model.js';

/**
 * The first pass of the parser, as BuildKit's `parser.Parse`: parser directives, comments,
 * blank lines, line continuations and heredoc bodies, giving one logical line per instruction.
 */

/** One instruction's text, continuation lines joined, with its heredoc bodies. */
export interface LogicalLine {
  readonly line: number;
  readonly endLine: number;
  /** Continuation lines joined (escape and line break removed; comment lines skipped). */
  readonly text: string;
  readonly heredocs: readonly Heredoc[];
}

export interface ScannedDockerfile {
  readonly directives: Directives;
  /** The source without a BOM, split on `\n` (a `\r` before it is kept). */
  readonly lines: readonly string[];
  readonly logical: readonly LogicalLine[];
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

const isComment = (line: string): boolean => /^\s*#/.test(line);
const isBlank = (line: string): boolean => line.trim() === '';

/** Removes a trailing escape (and whitespace after it): `[text, true]` when the line ends there. */
function trimContinuation(line: string, escapeChar: string): [string, boolean] {
  const re = escapeChar === '`' ? /`[ \t]*$/ : /\\[ \t]*$/;
  const m = re.exec(line);
  return m === null ? [line, true] : [line.slice(0, m.index), false];
}

/** Parser directives, read from the top until the first line that is not one. */
class DirectiveReader {
  done = false;
  escape: '\\' | '`' = '\\';
  private readonly values = new Map<string, string>();

  constructor(private readonly file: string) {}

  read(line: string, lineNo: number): void {
    if (this.done) return;
    const m = DIRECTIVE.exec(line);
    const key = m?.[1]?.toLowerCase();
    if (m === null || key === undefined || !KNOWN_DIRECTIVES.has(key)) {
      this.done = true;
      return;
    }
    if (this.values.has(key))
      throw invalidAt(this.file, lineNo, `only one ${key} parser directive can be used`);
    const value = m[2] ?? '';
    if (key === 'escape') {
      if (value !== '\\' && value !== '`') {
        throw invalidAt(this.file, lineNo, `invalid escape token '${value}' does not match \` or \\`);
      }
      this.escape = value;
    }
    this.values.set(key, value);
  }

  result(): Directives {
    const syntax = this.values.get('syntax');
    const check = this.values.get('check');
    return {
      escape: this.escape,
      ...(syntax === undefined ? {} : { syntax }),
      ...(check === undefined ? {} : { check }),
    };
  }
}

/** Splits a Dockerfile into logical lines (see the module comment). */
export function scanDockerfile(source: string, file: string): ScannedDockerfile {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = text.split('\n');
  const clean = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  // A final line break ends the last line; it does not start another one.
  const count = text.endsWith('\n') ? clean.length - 1 : clean.length;
  const directives = new DirectiveReader(file);
  const logical: LogicalLine[] = [];
  let i = 0;
  while (i < count) {
    const start = i + 1;
    const first = (clean[i] ?? '').trimStart();
    i++;
    directives.read(first, start);
    if (first === '' || isComment(first)) continue;
    let [joined, ended] = trimContinuation(first, directives.escape);
    // BuildKit skips comment and blank lines inside a continuation.
    while (!ended && i < count) {
      const next = clean[i] ?? '';
      i++;
      if (isComment(next) || isBlank(next)) continue;
      const [part, end] = trimContinuation(next, directives.escape);
      joined += part;
      ended = end;
    }
    if (joined.trim() === '') continue;
    const heredocs: Heredoc[] = [];
    for (const spec of heredocsOfLine(joined, directives.escape)) {
      let content = '';
      let terminated = false;
      while (i < count) {
        const raw = clean[i] ?? '';
        i++;
        const body = spec.chomp ? raw.replace(/^\t+/, '') : raw;
        if (body === spec.name) {
          terminated = true;
          break;
        }
        content += `${body}\n`;
      }
      if (!terminated) throw invalidAt(file, start, `unterminated heredoc ${spec.name}`);
      heredocs.push({ name: spec.name, content, expand: spec.expand });
    }
    logical.push({ line: start, endLine: i, text: joined, heredocs });
  }
  return { directives: directives.result(), lines, logical };
}
