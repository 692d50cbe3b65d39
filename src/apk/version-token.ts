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

const ZERO = 48;
const isDigitCode = (c: number): boolean => c >= ZERO && c <= 57;
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
        if (s.charCodeAt(start) === ZERO) {
          // `.007`: every zero but the last becomes a negative value; the last zero stays for
          // an ordinary Digit token. So `.0` > `.00` and `.05` < `.5`.
          while (s.charCodeAt(start + length + 1) === ZERO) length++;
          value = length === 0 ? 0 : -length;
          forced = TokenKind.Digit;
          break;
        }
        length = this.digitRun(start);
        if (length > MAX_DIGITS)
          return this.fail(`number '${s.slice(start, start + length)}' has 18 or more digits`);
        value = numberValue(s, start, length);
        break;
      case TokenKind.Digit:
      case TokenKind.SuffixNo:
      case TokenKind.RevisionNo:
        length = this.digitRun(start);
        if (length > MAX_DIGITS)
          return this.fail(`number '${s.slice(start, start + length)}' has 18 or more digits`);
        value = numberValue(s, start, length);
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
    const s = this.text;
    let i = start;
    while (isDigitCode(s.charCodeAt(i))) i++;
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
    const c = s.charCodeAt(at);
    const prev = this.kind;
    let next: TokenKind = TokenKind.Invalid;
    if (Number.isNaN(c) || c === 0) {
      next = TokenKind.End;
    } else if ((prev === TokenKind.Digit || prev === TokenKind.DigitOrZero) && c >= 97 && c <= 122) {
      next = TokenKind.Letter;
    } else if (prev === TokenKind.Letter && isDigitCode(c)) {
      next = TokenKind.Digit;
    } else if (prev === TokenKind.Suffix && isDigitCode(c)) {
      next = TokenKind.SuffixNo;
    } else {
      if (c === 46 /* . */) next = TokenKind.DigitOrZero;
      else if (c === 95 /* _ */) next = TokenKind.Suffix;
      else if (c === 45 /* - */ && s.charCodeAt(at + 1) === 114 /* r */) {
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

/** The value of the `length` digits at `start`; exact as a number up to 15 digits. */
function numberValue(s: string, start: number, length: number): TokenValue {
  if (length > 15) return BigInt(s.slice(start, start + length));
  // Accumulated by hand: this runs for every number of every version compared or validated.
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + s.charCodeAt(i) - ZERO;
  return n;
}

/** Suffix names match by prefix, in list order (so `_pre` wins over `_p`, `_p1` is `p` + 1). */
function matchSuffix(s: string, start: number): [TokenValue, number] | undefined {
  for (let i = 0; i < PRE_RELEASE.length; i++) {
    const name = PRE_RELEASE[i] ?? '';
    if (s.startsWith(name, start)) return [i - PRE_RELEASE.length, name.length];
  }
  for (let i = 0; i < POST_RELEASE.length; i++) {
    const name = POST_RELEASE[i] ?? '';
    if (s.startsWith(name, start)) return [i, name.length];
  }
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
