/**
 * Go RE2 regular expressions and `ReplaceAllString` in JavaScript, for `var-transforms`:
 * - pattern: `(?P<name>…)` named groups, leading `(?flags)`, `\A`/`\z`, `\Q…\E`, POSIX classes
 *   `[[:alpha:]]`, RE2's ASCII `\s`; what RE2 rejects (backreferences, lookaround) is rejected;
 * - replacement: Go's `$1`, `${1}`, `$name`, `${name}`, `$$`; `$1x` names the group `1x` (empty
 *   when there is none), a malformed `$` stays literal;
 * - empty matches right after a match are skipped, as Go's `ReplaceAll` does.
 */

/** A pattern Go's regexp.Compile would refuse, or one JavaScript cannot express. */
export class GoRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoRegexError';
  }
}

const POSIX: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Compiles a Go regexp as an equivalent global JavaScript RegExp. */
export function compileGoRegex(pattern: string): RegExp {
  let flags = 'g';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead !== null) {
    const given = lead[1] ?? '';
    if (given.includes('U')) throw new GoRegexError('the (?U) ungreedy flag has no JavaScript equivalent');
    for (const f of given) if (!flags.includes(f)) flags += f;
    src = src.slice(lead[0].length);
  }
  const translated = translate(src);
  try {
    return new RegExp(translated, flags);
  } catch (err) {
    throw new GoRegexError(
      `error parsing regexp: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`,
    );
  }
}

function translate(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined)
        throw new GoRegexError('error parsing regexp: trailing backslash at end of expression');
      i++;
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const literal = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        out += literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
      } else if (/[1-9]/.test(n)) {
        throw new GoRegexError(`error parsing regexp: invalid escape sequence: \`\\${n}\``);
      } else if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (n === 's') out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
      else if (n === 'S' && !inClass) out += '[^\\t\\n\\f\\r ]';
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        const body = m === null ? undefined : POSIX[m[2] ?? ''];
        if (m !== null && body !== undefined) {
          if (m[1] === '^') throw new GoRegexError('negated POSIX classes inside a class are not supported');
          out += body;
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += `\\${src[++i]}`;
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (/^(=|!|<=|<!)/.test(rest)) {
        throw new GoRegexError(
          `error parsing regexp: invalid or unsupported Perl syntax: \`(?${rest.slice(0, 1)}\``,
        );
      }
    }
    out += c;
  }
  if (inClass) throw new GoRegexError('error parsing regexp: missing closing ]');
  return out;
}

/** Go `(*Regexp).ReplaceAllString(src, repl)` with a RegExp from compileGoRegex. */
export function goReplaceAll(re: RegExp, src: string, template: string): string {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let prevEnd = -1;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    const start = m.index;
    const end = start + m[0].length;
    if (end === start)
      re.lastIndex =
        start + (src.codePointAt(start) !== undefined && (src.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
    if (end === start && start === prevEnd) {
      if (start >= src.length) break;
      continue;
    }
    out += src.slice(last, start) + expand(template, m);
    last = end;
    prevEnd = end;
    if (start >= src.length) break;
  }
  return out + src.slice(last);
}

function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) return out + template.slice(i);
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const brace = template[i] === '{';
    const nameMatch = /^[\p{L}\p{Nd}_]*/u.exec(template.slice(brace ? i + 1 : i));
    const name = nameMatch?.[0] ?? '';
    const after = (brace ? i + 1 : i) + name.length;
    if (name === '' || (brace && template[after] !== '}')) {
      out += '$';
      continue;
    }
    i = brace ? after + 1 : after;
    out += groupValue(m, name) ?? '';
  }
  return out;
}

function groupValue(m: RegExpExecArray, name: string): string | undefined {
  if (/^[0-9]+$/.test(name)) {
    const n = Number(name);
    return n < m.length ? m[n] : undefined;
  }
  return m.groups?.[name];
}
