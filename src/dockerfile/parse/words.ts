/**
 * Word-level helpers of the parser, with BuildKit's rules: flags before the arguments, the JSON
 * (exec) form, whitespace-delimited lists and quote-aware words kept raw.
 */

/** Split on runs of the whitespace BuildKit's parser splits on (not newlines: there are none). */
const WHITESPACE = /[\t\v\f\r ]+/;

export const isSpace = (ch: string): boolean => /\s/.test(ch);

/** The keyword and what follows it, the line trimmed first. */
export function splitKeyword(line: string): { keyword: string; rest: string } {
  const trimmed = line.trim();
  const m = WHITESPACE.exec(trimmed);
  if (m === null) return { keyword: trimmed, rest: '' };
  return { keyword: trimmed.slice(0, m.index), rest: trimmed.slice(m.index + m[0].length) };
}

/**
 * Reads `--flag[=value]` words at the start of `rest` (quotes removed, `\` escapes the next
 * character, a bare `--` ends the flags) and returns them with the remaining arguments.
 */
export function extractFlags(rest: string): { flags: string[]; args: string } {
  const flags: string[] = [];
  let pos = 0;
  const n = rest.length;
  for (;;) {
    while (pos < n && isSpace(rest.charAt(pos))) pos++;
    if (pos >= n) return { flags, args: '' };
    if (!rest.startsWith('--', pos)) return { flags, args: rest.slice(pos) };
    let word = '';
    let blankOk = false;
    let quote = '';
    while (pos < n) {
      const ch = rest.charAt(pos);
      if (quote !== '') {
        if (ch === quote) quote = '';
        else if (ch === '\\' && pos + 1 < n) word += rest.charAt(++pos);
        else if (ch !== '\\') word += ch;
        pos++;
        continue;
      }
      if (isSpace(ch)) break;
      if (ch === '"' || ch === "'") {
        quote = ch;
        blankOk = true;
      } else if (ch === '\\') {
        if (pos + 1 < n) word += rest.charAt(++pos);
      } else {
        word += ch;
      }
      pos++;
    }
    if (word === '--') return { flags, args: rest.slice(pos).trimStart() };
    if (blankOk || word !== '') flags.push(word);
  }
}

/** The result of trying the JSON form on an instruction's arguments. */
export type JsonForm =
  | { readonly kind: 'json'; readonly argv: readonly string[] }
  | { readonly kind: 'shell' }
  | { readonly kind: 'not-strings' };

/**
 * BuildKit's `parseMaybeJSON`: arguments starting with `[` that are a valid JSON array of
 * strings are the exec form; a valid array holding anything else is an error; everything
 * else (invalid JSON included) is the shell form.
 */
export function tryJsonForm(args: string): JsonForm {
  const text = args.trimStart();
  if (!text.startsWith('[')) return { kind: 'shell' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'shell' };
  }
  if (!Array.isArray(value)) return { kind: 'shell' };
  if (!value.every((v): v is string => typeof v === 'string')) return { kind: 'not-strings' };
  return { kind: 'json', argv: value };
}

/** Whitespace-delimited words, quotes not special (FROM, EXPOSE, shell-form COPY/ADD/VOLUME). */
export function splitWhitespace(args: string): string[] {
  const trimmed = args.trim();
  return trimmed === '' ? [] : trimmed.split(WHITESPACE);
}

/**
 * BuildKit's `parseWords`: words split on whitespace outside quotes, quotes and escapes kept
 * raw (ENV, LABEL, ARG). Inside single quotes the escape is not special.
 */
export function splitRawWords(text: string, escapeChar: string): string[] {
  const words: string[] = [];
  const chars = Array.from(text);
  let word = '';
  let inWord = false;
  let blankOk = false;
  let quote = '';
  const flush = (): void => {
    if (blankOk || word !== '') words.push(word);
    word = '';
    inWord = false;
    blankOk = false;
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (quote === '') {
      if (isSpace(ch)) {
        if (inWord) flush();
        continue;
      }
      inWord = true;
      if (ch === '"' || ch === "'") {
        quote = ch;
        blankOk = true;
        word += ch;
      } else if (ch === escapeChar) {
        if (i + 1 < chars.length) word += ch + (chars[++i] ?? '');
      } else {
        word += ch;
      }
      continue;
    }
    if (ch === quote) {
      quote = '';
      word += ch;
    } else if (ch === escapeChar && quote !== "'") {
      if (i + 1 < chars.length) word += ch + (chars[++i] ?? '');
    } else {
      word += ch;
    }
  }
  if (inWord) flush();
  return words;
}
