/**
 * melange's `${{ name }}` substitution (pkg/cond/subst.go and pkg/util/map_subst.go): names use
 * `[A-Za-z0-9._-]`, whitespace is allowed inside the braces, and an undefined name is an error.
 * Every problem in one string is reported, not just the first.
 */

/** A map from `${{name}}` (no spaces) to its value, as melange keys its substitution maps. */
export interface SubstitutionMap {
  get(key: string): string | undefined;
}

/** Why a substitution failed: each undefined or malformed reference. */
export class SubstitutionError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'SubstitutionError';
    this.problems = problems;
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const VAR_CHAR = /[A-Za-z0-9._-]/;

/** `${{name}}` for a bare name. */
export function key(name: string): string {
  return `\${{${name}}}`;
}

/**
 * Replaces every `${{ name }}` in `input` with `lookup(name)`; throws SubstitutionError listing
 * every undefined name, empty name or unterminated reference (melange `cond.Subst`).
 */
export function substitute(input: string, lookup: (name: string) => string | undefined): string {
  if (!input.includes('${{')) return input;
  let out = '';
  const problems: string[] = [];
  let i = 0;
  while (i < input.length) {
    const idx = input.indexOf('${{', i);
    if (idx < 0) {
      out += input.slice(i);
      break;
    }
    out += input.slice(i, idx);
    i = idx + 3;
    while (i < input.length && WS.has(input[i] as string)) i++;
    const start = i;
    while (i < input.length && VAR_CHAR.test(input[i] as string)) i++;
    const name = input.slice(start, i);
    if (name === '') {
      problems.push(`empty variable name in '${snippet(input, idx)}'`);
      continue;
    }
    while (i < input.length && WS.has(input[i] as string)) i++;
    if (input.slice(i, i + 2) !== '}}') {
      problems.push(`unterminated variable reference '${snippet(input, idx)}'`);
      continue;
    }
    i += 2;
    const value = lookup(name);
    if (value === undefined) problems.push(`variable ${name} not defined`);
    else out += value;
  }
  if (problems.length > 0) throw new SubstitutionError(problems);
  return out;
}

/** melange `MutateStringFromMap`: looks `name` up as `${{name}}` in the map. */
export function substituteFrom(map: SubstitutionMap, input: string): string {
  return substitute(input, (name) => map.get(key(name)));
}

/** melange `MutateAndQuoteStringFromMap`: like substituteFrom, values quoted as Go strconv.Quote. */
export function substituteQuoted(map: SubstitutionMap, input: string): string {
  return substitute(input, (name) => {
    const value = map.get(key(name));
    return value === undefined ? undefined : goQuote(value);
  });
}

/**
 * melange's parse-time `strings.Replacer`: each exact `${{key}}` in the map is replaced once, in
 * one pass; anything else (unknown names, spaced braces) is left for the compile-time pass.
 */
export function replaceKnown(map: SubstitutionMap, input: string): string {
  if (!input.includes('${{')) return input;
  return input.replace(/\$\{\{[^}]*\}\}/g, (ref) => map.get(ref) ?? ref);
}

/** Go's strconv.Quote for the strings recipes hold (printable text, common escapes). */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function snippet(input: string, at: number): string {
  return input.slice(at, Math.min(input.length, at + 40)).split('\n')[0] ?? '';
}
