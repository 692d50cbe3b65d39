import type { CommandForm, InstructionFlag, InstructionKind, KeyValue } from './model.js';
import { splitRawWords, splitWhitespace, tryJsonForm } from './words.js';

/**
 * The arguments of FROM, ENV/LABEL, ARG and HEALTHCHECK, checked as BuildKit's
 * `instructions.Parse` does and kept raw.
 */

/** Builds the error for the instruction at hand (file:line already bound). */
export type Fail = (message: string) => Error;

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** The exec form for a JSON array of strings, the shell form otherwise. */
export function commandForm(kind: InstructionKind, args: string, fail: Fail): CommandForm {
  const json = tryJsonForm(args);
  if (json.kind === 'not-strings') {
    throw fail(`${kind}: when using JSON array syntax, arrays must be comprised of strings only`);
  }
  return json.kind === 'json' ? { form: 'exec', argv: json.argv } : { form: 'shell', text: args };
}

/** COPY/ADD/VOLUME: a JSON array of strings, or whitespace-delimited words. */
export function listForm(kind: InstructionKind, args: string, fail: Fail): string[] {
  const json = tryJsonForm(args);
  if (json.kind === 'not-strings') {
    throw fail(`${kind}: when using JSON array syntax, arrays must be comprised of strings only`);
  }
  return json.kind === 'json' ? [...json.argv] : splitWhitespace(args);
}

export function fromArgs(
  args: string,
  flags: readonly InstructionFlag[],
  fail: Fail,
): { image: string; as?: string; platform?: string } {
  const words = splitWhitespace(args);
  const platform = flags.find((f) => f.name === 'platform')?.value;
  const image = words[0];
  if (image === undefined || (words.length !== 1 && words.length !== 3)) {
    throw fail('FROM requires either one or three arguments');
  }
  const withPlatform = platform === undefined ? { image } : { image, platform };
  if (words.length === 1) return withPlatform;
  if (words[1]?.toLowerCase() !== 'as')
    throw fail(`FROM: expected "AS" before the stage name, got "${words[1]}"`);
  const name = (words[2] ?? '').toLowerCase();
  if (!STAGE_NAME.test(name)) {
    throw fail(
      `invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`,
    );
  }
  return { ...withPlatform, as: name };
}

export function keyValues(kind: InstructionKind, args: string, escapeChar: string, fail: Fail): KeyValue[] {
  const words = splitRawWords(args, escapeChar);
  const first = words[0];
  if (first === undefined) throw fail(`${kind} requires at least one argument`);
  if (!first.includes('=')) {
    const parts = splitWhitespace(args);
    const key = parts[0] ?? '';
    if (parts.length < 2) throw fail(`${kind} must have two arguments`);
    return [{ key, value: args.slice(key.length).replace(/^[\t\v\f\r ]+/, '') }];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq < 0) throw fail(`${kind}: can't find = in "${word}". Must be of the form: name=value`);
    if (eq === 0) throw fail(`${kind} names can not be blank`);
    return { key: word.slice(0, eq), value: word.slice(eq + 1) };
  });
}

export function argDeclarations(
  args: string,
  escapeChar: string,
  fail: Fail,
): Array<{ name: string; value?: string }> {
  const words = splitRawWords(args, escapeChar);
  if (words.length === 0) throw fail('ARG requires at least one argument');
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq === 0) throw fail('ARG names can not be blank');
    return eq < 0 ? { name: word } : { name: word.slice(0, eq), value: word.slice(eq + 1) };
  });
}

export function healthcheck(
  args: string,
  fail: Fail,
): { readonly none: true } | { readonly none: false; readonly command: CommandForm } {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(args);
  if (m === null) throw fail('HEALTHCHECK requires at least one argument');
  const type = (m[1] ?? '').toUpperCase();
  const rest = m[2] ?? '';
  if (type === 'NONE') {
    if (rest !== '') throw fail('HEALTHCHECK NONE takes no arguments');
    return { none: true };
  }
  if (type !== 'CMD') throw fail(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  const command = commandForm('HEALTHCHECK', rest, fail);
  if (command.form === 'shell' ? command.text === '' : command.argv.length === 0) {
    throw fail('Missing command after HEALTHCHECK CMD');
  }
  return { none: false, command };
}
