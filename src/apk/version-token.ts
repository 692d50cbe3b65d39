/**
 * The apk-tools 2.14 version tokenizer (`src/version.c` next_token/get_token), reimplemented.
 * Comparison and validation both drive this cursor; behaviour on malformed input is part of
 * the contract, because apk compares invalid versions too (formats.md §3.2, §3.3).
 */

/** Token kinds. The numeric order matters: comparison ranks kinds by it. */
export const TokenKind = {
  Invalid: -1,
  DigitOrZero: 0,
  Digit: 1,
  Letter: 2,
  Suffix: 3,
  SuffixNo: 4,
  RevisionNo: 5,
  End: 6,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

/** A token value. Numbers of 16-17 digits exceed 2^53, so they are kept as bigint. */
export type TokenValue = number | bigint;

const PRE_RELEASE = ['alpha', 'beta', 'pre', 'rc'] as const;
const POST_RELEASE = ['cvs', 'svn', 'git', 'hg', 'p'] as const;

/** apk rejects digit runs this long: they would overflow its int64 arithmetic. */
export const MAX_DIGITS = 17;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

/** Walks one version string token by token, like apk's blob + type pair. */
export class VersionCursor {
  /** Kind of the token the next `read()` will return; the first token is always a number. */
  kind: TokenKind = TokenKind.Digit;
  /** Why the cursor turned Invalid (for error messages); undefined otherwise. */
  problem: string | undefined;
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Reads the current token, returns its value and moves `kind` to the next token's kind. */
  read(): TokenValue {
    const s = this.text;
    const start = this.pos;
    if (start >= s.length) {
      this.kind = TokenKind.End;
      return 0;
    }
    let length = 0;
    let value: TokenValue = 0;
    let forced: TokenKind | undefined;
    switch (this.kind) {
      case TokenKind.DigitOrZero:
        if (s[start] === '0') {
          // `.007`: every zero but the last becomes a negative value; the last zero stays for
          // an ordinary Digit token. So `.0` > `.00` and `.05` < `.5`.
          while (s[start + length + 1] === '0') length++;
          value = length === 0 ? 0 : -length;
          forced = TokenKind.Digit;
          break;
        }
        length = this.digitRun(start);
        if (length > MAX_DIGITS)
          return this.fail(`number '${s.slice(start, start + length)}' has 18 or more digits`);
        value = numberValue(s.slice(start, start + length));
        break;
      case TokenKind.Digit:
      case TokenKind.SuffixNo:
      case TokenKind.RevisionNo:
        length = this.digitRun(start);
        if (length > MAX_DIGITS)
          return this.fail(`number '${s.slice(start, start + length)}' has 18 or more digits`);
        value = numberValue(s.slice(start, start + length));
        break;
      case TokenKind.Letter:
        value = s.charCodeAt(start);
        length = 1;
        break;
      case TokenKind.Suffix: {
        const suffix = matchSuffix(s, start);
        if (suffix === undefined) {
          const word = /^[^._\-0-9]*/.exec(s.slice(start))?.[0] ?? '';
          return this.fail(
            `unknown suffix '_${word}' (expected alpha, beta, pre, rc, cvs, svn, git, hg or p)`,
          );
        }
        [value, length] = suffix;
        break;
      }
      case TokenKind.End:
      case TokenKind.Invalid:
        return this.fail(this.problem ?? 'read past the end');
    }
    this.pos = start + length;
    if (this.pos >= s.length) this.kind = TokenKind.End;
    else if (forced !== undefined) this.kind = forced;
    else this.advance();
    return value;
  }

  private digitRun(start: number): number {
    let i = start;
    while (isDigit(this.text[i])) i++;
    return i - start;
  }

  private fail(problem: string): TokenValue {
    this.kind = TokenKind.Invalid;
    this.problem = problem;
    return -1;
  }

  /** Decides the next token's kind from the separator or character at the cursor (next_token). */
  private advance(): void {
    const s = this.text;
    const at = this.pos;
    const c = s[at];
    const prev = this.kind;
    let next: TokenKind = TokenKind.Invalid;
    if (c === undefined || c === '\0') {
      next = TokenKind.End;
    } else if ((prev === TokenKind.Digit || prev === TokenKind.DigitOrZero) && isLower(c)) {
      next = TokenKind.Letter;
    } else if (prev === TokenKind.Letter && isDigit(c)) {
      next = TokenKind.Digit;
    } else if (prev === TokenKind.Suffix && isDigit(c)) {
      next = TokenKind.SuffixNo;
    } else {
      if (c === '.') next = TokenKind.DigitOrZero;
      else if (c === '_') next = TokenKind.Suffix;
      else if (c === '-' && s[at + 1] === 'r') {
        next = TokenKind.RevisionNo;
        this.pos++;
      }
      this.pos++;
    }
    // Components only move forward (number, letter, suffix, revision); the three exceptions
    // are `1.2` (another number), `_rc1_p2` (another suffix) and `1a1` (number after letter).
    if (next < prev && !isAllowedStepBack(prev, next)) next = TokenKind.Invalid;
    if (next === TokenKind.Invalid) this.problem = describeBadChar(s, at, prev);
    this.kind = next;
  }
}

function isAllowedStepBack(prev: TokenKind, next: TokenKind): boolean {
  return (
    (prev === TokenKind.Digit && next === TokenKind.DigitOrZero) ||
    (prev === TokenKind.SuffixNo && next === TokenKind.Suffix) ||
    (prev === TokenKind.Letter && next === TokenKind.Digit)
  );
}

function numberValue(digits: string): TokenValue {
  if (digits.length === 0) return 0;
  return digits.length <= 15 ? Number(digits) : BigInt(digits);
}

/** Suffix names match by prefix, in list order (so `_pre` wins over `_p`, `_p1` is `p` + 1). */
function matchSuffix(s: string, start: number): [TokenValue, number] | undefined {
  const pre = PRE_RELEASE.findIndex((name) => s.startsWith(name, start));
  if (pre >= 0) return [pre - PRE_RELEASE.length, PRE_RELEASE[pre]?.length ?? 0];
  const post = POST_RELEASE.findIndex((name) => s.startsWith(name, start));
  if (post >= 0) return [post, POST_RELEASE[post]?.length ?? 0];
  return undefined;
}

function describeBadChar(s: string, at: number, prev: TokenKind): string {
  const c = s[at] ?? '';
  const where = `'${c}' at offset ${at}`;
  if (c === '-') return `${where} must start a revision '-rN'`;
  if (c >= 'A' && c <= 'Z') return `${where}: letters must be lower-case`;
  if (c === '.' || c === '_' || isLower(c) || isDigit(c)) return `${where} cannot follow ${KIND_NAMES[prev]}`;
  return `${where} is not allowed in a version`;
}

const KIND_NAMES: Record<TokenKind, string> = {
  [TokenKind.Invalid]: 'an invalid token',
  [TokenKind.DigitOrZero]: 'a number',
  [TokenKind.Digit]: 'a number',
  [TokenKind.Letter]: 'a letter',
  [TokenKind.Suffix]: 'a suffix',
  [TokenKind.SuffixNo]: 'a suffix number',
  [TokenKind.RevisionNo]: 'the revision',
  [TokenKind.End]: 'the end',
};
