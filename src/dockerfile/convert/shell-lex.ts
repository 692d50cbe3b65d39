/**
 * A position-keeping lexer for the shell text of a `RUN` instruction as it stands in the file
 * (continuation lines included). It finds words and control operators with their offsets so the
 * converter can rewrite single words and drop whole commands while every other byte stays put.
 * It is not a shell parser: `$(...)`, backquotes and quotes stay inside one word, and anything it
 * cannot follow (an unterminated quote, a shell comment) ends the token stream with `opaque`.
 */

/** A word: `raw` is the text as written; `value` is set when the word is a plain literal. */
export interface ShellWord {
  readonly kind: 'word';
  readonly start: number;
  readonly end: number;
  readonly raw: string;
  /** The word with quotes and backslashes removed, or undefined when it expands (`$`, backquote, globs). */
  readonly value: string | undefined;
}

/** A control operator that separates commands. */
export interface ShellOperator {
  readonly kind: 'op';
  readonly start: number;
  readonly end: number;
  readonly op: '&&' | '||' | ';' | '|' | '&' | '(' | ')' | '\n';
}

/** A redirection operator (`>`, `2>&1`, `<`); its target is the next word. */
export interface ShellRedirect {
  readonly kind: 'redirect';
  readonly start: number;
  readonly end: number;
}

export type ShellToken = ShellWord | ShellOperator | ShellRedirect;

export interface ShellLex {
  readonly tokens: readonly ShellToken[];
  /** Offset where lexing stopped early (shell comment, unterminated quote); undefined at the end. */
  readonly opaqueFrom: number | undefined;
}

const OPERATORS = ['&&', '||', ';;', ';', '|', '&', '(', ')'] as const;
const GLOB = /[*?[]/;

/** `script`: the text is a shell script (a RUN heredoc body), not an instruction's lines. */
export interface LexOptions {
  readonly script?: boolean;
}

/**
 * Lexes `text`. `escapeChar` is the Dockerfile escape character: an escape at the end of a line
 * (trailing blanks allowed, as BuildKit does) continues the instruction, and a comment or empty
 * line inside a continuation is part of the layout, not of the command.
 */
export function lexShell(text: string, escapeChar: '\\' | '`' = '\\', options: LexOptions = {}): ShellLex {
  if (options.script) return lexScript(text);
  const n = text.length;
  // Length of a line continuation at i (escape, blanks, newline, and the comment or empty lines
  // that follow it), or 0.
  const continuation = (at: number): number => {
    if (text[at] !== escapeChar) return 0;
    let j = at + 1;
    while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r') j++;
    if (j < n && text[j] !== '\n') return 0;
    j++;
    for (;;) {
      const eol = text.indexOf('\n', j);
      const line = text.slice(j, eol < 0 ? n : eol);
      const trimmed = line.trim();
      if (eol >= 0 && (trimmed === '' || trimmed.startsWith('#'))) j = eol + 1;
      else break;
    }
    return j - at;
  };
  return lexTokens(text, continuation, false);
}

/** A script: a backslash before a newline continues a line, `#` starts a comment that ends with its line. */
function lexScript(text: string): ShellLex {
  const continuation = (at: number): number => (text[at] === '\\' && text[at + 1] === '\n' ? 2 : 0);
  return lexTokens(text, continuation, true);
}

function lexTokens(text: string, continuation: (at: number) => number, script: boolean): ShellLex {
  const tokens: ShellToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const cont = continuation(i);
    if (cont > 0) {
      i += cont;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'op', start: i, end: i + 1, op: '\n' });
      i++;
      continue;
    }
    if (c === '#') {
      if (!script) return { tokens, opaqueFrom: i };
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    const redirect = /^(\d*)(>>|>&|<&|&>>|&>|>\||<<<|<>|>|<)/.exec(text.slice(i, i + 8));
    if (redirect !== null && (redirect[1] === '' || /[<>]/.test(redirect[2] ?? ''))) {
      tokens.push({ kind: 'redirect', start: i, end: i + redirect[0].length });
      i += redirect[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', start: i, end: i + op.length, op: op === ';;' ? ';' : op });
      i += op.length;
      continue;
    }
    const word = lexWord(text, i, continuation);
    if (word === undefined) return { tokens, opaqueFrom: i };
    tokens.push(word);
    i = word.end;
  }
  return { tokens, opaqueFrom: undefined };
}

/** One word from `start`, or undefined when a quote or substitution is not closed. */
function lexWord(text: string, start: number, continuation: (at: number) => number): ShellWord | undefined {
  let i = start;
  let value = '';
  let literal = true;
  const n = text.length;
  while (i < n) {
    const c = text[i] ?? '';
    if (' \t\r\n;&|()<>'.includes(c)) break;
    const cont = continuation(i);
    if (cont > 0) {
      i += cont;
      continue;
    }
    if (c === '\\') {
      value += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return undefined;
      value += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      const close = closingDoubleQuote(text, i + 1);
      if (close < 0) return undefined;
      const inner = text.slice(i + 1, close);
      if (/[$`]/.test(inner)) literal = false;
      value += inner.replace(/\\([$`"\\\n])/g, '$1');
      i = close + 1;
    } else if (c === '$' || c === '`') {
      literal = false;
      const close = c === '`' ? text.indexOf('`', i + 1) : closingDollar(text, i);
      if (close < 0) return undefined;
      i = close + 1;
    } else {
      if (GLOB.test(c)) literal = false;
      value += c;
      i++;
    }
  }
  return { kind: 'word', start, end: i, raw: text.slice(start, i), value: literal ? value : undefined };
}

function closingDoubleQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** End of `$name`, `${...}`, `$(...)` or `$((...))` starting at `at` (the `$`): its last offset. */
function closingDollar(text: string, at: number): number {
  const open = text[at + 1];
  if (open !== '{' && open !== '(') {
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(text.slice(at + 1));
    return at + (m === null ? 0 : m[0].length);
  }
  const close = open === '{' ? '}' : ')';
  let depth = 0;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'" && open === '(') {
      const q = text.indexOf("'", i + 1);
      if (q < 0) return -1;
      i = q;
    } else if (c === '"') {
      const q = closingDoubleQuote(text, i + 1);
      if (q < 0) return -1;
      i = q;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}
