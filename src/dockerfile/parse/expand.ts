import { LarderError } from '../../core/index.js';
import { ExpandedWords } from './expanded-words.js';
import { replacePattern, trimPrefix, trimSuffix } from './shell-pattern.js';

/**
 * BuildKit's shell lexer (`ProcessWord`/`ProcessWords`): the expansion applied to instruction
 * words at build time against the stage's ENV and ARGs. Quote removal ('...' literal, "..."
 * with `$` and escapes of `"`, `$` and the escape), `$VAR`, `${VAR}` and the modifiers
 * `:-` `-` `:+` `+` `:?` `?` `#` `##` `%` `%%` `/` `//`. Unknown variables expand to ''.
 */

/** A variable's value, or undefined when it is not set. */
export type VarLookup = (name: string) => string | undefined;

const EOF = '';

class Lexer {
  private pos = 0;
  private readonly chars: string[];

  constructor(
    source: string,
    private readonly vars: VarLookup,
    private readonly escapeChar: string,
  ) {
    this.chars = Array.from(source);
  }

  private peek(): string {
    return this.chars[this.pos] ?? EOF;
  }
  private next(): string {
    const ch = this.chars[this.pos] ?? EOF;
    if (ch !== EOF) this.pos++;
    return ch;
  }

  /** Reads up to `stop` (consumed) or the end; `rawEscapes` keeps escape characters (patterns). */
  process(stop: string, rawEscapes: boolean): { text: string; words: ExpandedWords } {
    let text = '';
    const words = new ExpandedWords();
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (stop !== EOF && ch === stop) {
        this.next();
        return { text, words };
      }
      if (ch === '$') {
        const value = this.dollar();
        text += value;
        words.addExpanded(value);
      } else if (ch === "'" || ch === '"') {
        const value = ch === "'" ? this.singleQuoted() : this.doubleQuoted(rawEscapes);
        text += value;
        words.addRaw(value);
      } else {
        this.next();
        if (ch === this.escapeChar) {
          if (rawEscapes) {
            text += ch;
            words.addRaw(ch);
          }
          const escaped = this.next();
          if (escaped === EOF) break;
          text += escaped;
          words.addRaw(escaped);
        } else {
          text += ch;
          words.addChar(ch);
        }
      }
    }
    if (stop !== EOF) throw new Error(`syntax error: missing '${stop}'`);
    return { text, words };
  }

  private singleQuoted(): string {
    this.next();
    let out = '';
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new Error('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return out;
      out += ch;
    }
  }

  private doubleQuoted(rawEscapes: boolean): string {
    this.next();
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === EOF) throw new Error('unexpected end of statement while looking for matching double-quote');
      if (ch === '"') {
        this.next();
        return out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      this.next();
      if (ch === this.escapeChar) {
        if (rawEscapes) out += ch;
        const after = this.peek();
        if (after === EOF) continue;
        // Only `"`, `$` and the escape itself can be escaped; other escapes stay as written.
        if (after === '"' || after === '$' || after === this.escapeChar) {
          out += this.next();
          continue;
        }
      }
      out += ch;
    }
  }

  /** A name: letters, digits and `_`; or all digits; or one special parameter character. */
  private name(): string {
    let out = '';
    while (this.peek() !== EOF) {
      const ch = this.peek();
      if (out === '' && /\p{Nd}/u.test(ch)) {
        while (/\p{Nd}/u.test(this.peek())) out += this.next();
        return out;
      }
      if (out === '' && '@*#?-$!0'.includes(ch)) return this.next();
      if (!/[\p{L}\p{Nd}_]/u.test(ch)) break;
      out += this.next();
    }
    return out;
  }

  private dollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.name();
      return name === '' ? '$' : (this.vars(name) ?? '');
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new Error("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new Error('syntax error: bad substitution');
    const name = this.name();
    let op = this.next();
    if (op === EOF) throw new Error("syntax error: missing '}'");
    if (op === '}') return this.vars(name) ?? '';
    if (op === '/') return this.replace(name);
    let modifier = op;
    const nullIsUnset = op === ':';
    if (nullIsUnset) {
      op = this.next();
      modifier += op;
    }
    if (!'+-?#%'.includes(op) || op === EOF || (nullIsUnset && (op === '#' || op === '%'))) {
      throw new Error(`unsupported modifier (${modifier}) in substitution`);
    }
    let word = this.process('}', op === '#' || op === '%').text;
    const value = this.vars(name);
    const unset = value === undefined || (nullIsUnset && value === '');
    switch (op) {
      case '-':
        return unset ? word : value;
      case '+':
        return unset ? '' : word;
      case '?':
        if (unset) {
          const reason = value === undefined ? 'is not allowed to be unset' : 'is not allowed to be empty';
          throw new Error(`${name}: ${word === '' ? reason : word}`);
        }
        return value;
      default: {
        const longest = word.startsWith(op);
        if (longest) word = word.slice(1);
        const text = value ?? '';
        return op === '#' ? trimPrefix(text, word, longest) : trimSuffix(text, word, longest);
      }
    }
  }

  private replace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    const pattern = this.process('/', true).text;
    const replacement = this.process('}', true).text;
    return replacePattern(this.vars(name) ?? '', pattern, replacement, all);
  }
}

function failed(raw: string, err: unknown): LarderError {
  const message = err instanceof Error ? err.message : String(err);
  return new LarderError('DOCKERFILE_INVALID', `failed to process "${raw}": ${message}`, { cause: err });
}

/**
 * Expands one word as BuildKit does (quotes removed, variables substituted, whitespace kept).
 * Errors (`${VAR:?msg}`, a missing quote or `}`) are DOCKERFILE_INVALID naming the word and the
 * variable; callers prefix the instruction's `file:line`.
 */
export function expandWord(raw: string, vars: VarLookup, escapeChar: '\\' | '`' = '\\'): string {
  try {
    return new Lexer(raw, vars, escapeChar).process(EOF, false).text;
  } catch (err) {
    throw failed(raw, err);
  }
}

/**
 * Expands and splits into words as BuildKit's ProcessWords: split on whitespace outside quotes,
 * including whitespace inside unquoted variable values (`EXPOSE $PORTS`); empty words dropped.
 */
export function expandWords(raw: string, vars: VarLookup, escapeChar: '\\' | '`' = '\\'): string[] {
  try {
    return new Lexer(raw, vars, escapeChar).process(EOF, false).words.done();
  } catch (err) {
    throw failed(raw, err);
  }
}
