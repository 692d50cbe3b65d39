/**
 * melange's `if:` conditions (pkg/cond/parser.go): comparisons of quoted strings and `${{var}}`
 * references with `==`/`!=`, joined by `&&`/`||` strictly left to right (no precedence), with
 * parentheses. Substitutions are made first (values re-quoted), as melange's compile step does.
 */

/** A condition that does not parse: the message names the position. */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

const WS = /[ \t\n\r]/;
const VAR_CHAR = /[A-Za-z0-9._-]/;

/** Evaluates a condition; `lookup` resolves any `${{var}}` left in it (undefined: an error). */
export function evaluateCondition(
  input: string,
  lookup: (name: string) => string | undefined = () => '',
): boolean {
  const p = new Parser(input, lookup);
  const result = p.expr();
  p.skip();
  if (p.pos !== input.length) {
    throw new ConditionError(`unexpected trailing input at position ${p.pos}: '${input.slice(p.pos)}'`);
  }
  return result;
}

class Parser {
  pos = 0;
  constructor(
    readonly input: string,
    readonly lookup: (name: string) => string | undefined,
  ) {}

  skip(): void {
    while (this.pos < this.input.length && WS.test(this.input[this.pos] as string)) this.pos++;
  }

  expr(): boolean {
    let result = this.atom();
    for (;;) {
      this.skip();
      const op = this.input.slice(this.pos, this.pos + 2);
      if (op !== '&&' && op !== '||') return result;
      this.pos += 2;
      const rhs = this.atom();
      result = op === '&&' ? result && rhs : result || rhs;
    }
  }

  atom(): boolean {
    this.skip();
    if (this.input[this.pos] === '(') {
      this.pos++;
      const result = this.expr();
      this.skip();
      if (this.input[this.pos] !== ')') throw new ConditionError(`expected ')' at position ${this.pos}`);
      this.pos++;
      return result;
    }
    const lhs = this.value();
    this.skip();
    const op = this.input.slice(this.pos, this.pos + 2);
    if (op !== '==' && op !== '!=') {
      throw new ConditionError(
        op.length < 2
          ? `expected comparison operator at position ${this.pos}`
          : `expected '==' or '!=' at position ${this.pos}, got '${op}'`,
      );
    }
    this.pos += 2;
    const rhs = this.value();
    return op === '==' ? lhs === rhs : lhs !== rhs;
  }

  value(): string {
    this.skip();
    const ch = this.input[this.pos];
    if (ch === undefined) throw new ConditionError(`unexpected end of input at position ${this.pos}`);
    if (ch === "'" || ch === '"') return this.quoted(ch);
    if (this.input.startsWith('${{', this.pos)) return this.variable();
    throw new ConditionError(`unexpected character '${ch}' at position ${this.pos}`);
  }

  quoted(quote: string): string {
    this.pos++;
    let out = '';
    while (this.pos < this.input.length && this.input[this.pos] !== quote) {
      const c = this.input[this.pos] as string;
      if (c === '\\' && this.pos + 1 < this.input.length) {
        this.pos++;
        const e = this.input[this.pos] as string;
        if (e === '\\' || e === "'" || e === '"') out += e;
        else if (e === 'n') out += '\n';
        else if (e === 't') out += '\t';
        else out += `\\${e}`;
      } else out += c;
      this.pos++;
    }
    if (this.pos >= this.input.length)
      throw new ConditionError(`unterminated string literal at position ${this.pos}`);
    this.pos++;
    return out;
  }

  variable(): string {
    this.pos += 3;
    this.skip();
    const start = this.pos;
    while (this.pos < this.input.length && VAR_CHAR.test(this.input[this.pos] as string)) this.pos++;
    if (this.pos === start) throw new ConditionError(`empty variable name at position ${this.pos}`);
    const name = this.input.slice(start, this.pos);
    this.skip();
    if (!this.input.startsWith('}}', this.pos)) {
      throw new ConditionError(`unterminated variable reference '${name}' at position ${start}`);
    }
    this.pos += 2;
    const value = this.lookup(name);
    if (value === undefined) throw new ConditionError(`variable ${name} not defined (position ${start})`);
    return value;
  }
}
