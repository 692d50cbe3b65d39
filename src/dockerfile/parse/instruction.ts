import { invalidAt } from './errors.js';
import { checkHealthcheckFlags, parseFlags } from './flags.js';
import { instructionKind } from './keywords.js';
import type {
  CommandForm,
  Heredoc,
  Instruction,
  InstructionFlag,
  InstructionKind,
  KeyValue,
} from './model.js';
import type { LogicalLine } from './scan.js';
import { extractFlags, splitKeyword, splitRawWords, splitWhitespace, tryJsonForm } from './words.js';

/**
 * The second pass, as BuildKit's `instructions.Parse`: one logical line becomes one typed
 * instruction, its arguments checked (counts, forms, flags) and kept raw for expansion later.
 */

export interface InstructionContext {
  readonly file: string;
  readonly escape: '\\' | '`';
  readonly lines: readonly string[];
}

const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** Converts one logical line (see scan.ts) into an instruction. */
export function toInstruction(logical: LogicalLine, ctx: InstructionContext): Instruction {
  const { keyword, rest } = splitKeyword(logical.text);
  const kind = instructionKind(keyword);
  const line = logical.line;
  const fail = (message: string) => invalidAt(ctx.file, line, message);
  if (kind === undefined) throw fail(`unknown instruction: ${keyword.toUpperCase()}`);
  const extracted = extractFlags(rest);
  const args = extracted.args.trim();
  const flags = parseFlags(kind, extracted.flags, ctx.file, line);
  const base = {
    span: { file: ctx.file, line, endLine: logical.endLine },
    original: ctx.lines.slice(line - 1, logical.endLine).join('\n'),
    flags,
  };
  const { heredocs } = logical;
  switch (kind) {
    case 'FROM':
      return { ...base, kind, ...fromArgs(args, flags, fail) };
    case 'RUN': {
      const command = commandForm(kind, args, fail);
      if (command.form === 'shell' ? command.text === '' : command.argv.length === 0) {
        throw fail('RUN requires at least one argument');
      }
      return { ...base, kind, command, heredocs };
    }
    case 'CMD':
    case 'ENTRYPOINT': {
      const command = commandForm(kind, args, fail);
      if (command.form === 'shell' && command.text === '')
        throw fail(`${kind} requires at least one argument`);
      return { ...base, kind, command };
    }
    case 'COPY':
    case 'ADD': {
      const words = listForm(kind, args, fail);
      const dest = words.at(-1);
      if (dest === undefined) throw fail(`${kind} requires at least two arguments`);
      if (words.length < 2) {
        throw fail(
          `${kind} requires at least two arguments, but only one was provided. Destination could not be determined`,
        );
      }
      return { ...base, kind, sources: words.slice(0, -1), dest, heredocs: heredocsFor(args, heredocs) };
    }
    case 'ENV':
    case 'LABEL':
      return { ...base, kind, pairs: keyValues(kind, args, ctx.escape, fail) };
    case 'ARG':
      return { ...base, kind, args: argDeclarations(args, ctx.escape, fail) };
    case 'WORKDIR':
    case 'USER':
    case 'STOPSIGNAL':
    case 'MAINTAINER':
      if (args === '') throw fail(`${kind} requires exactly one argument`);
      return { ...base, kind, value: args };
    case 'SHELL': {
      const json = tryJsonForm(args);
      if (json.kind !== 'json') throw fail('SHELL requires the arguments to be in JSON form');
      if (json.argv.length === 0) throw fail('SHELL requires at least one argument');
      return { ...base, kind, argv: json.argv };
    }
    case 'EXPOSE': {
      const values = splitWhitespace(args);
      if (values.length === 0) throw fail('EXPOSE requires at least one argument');
      return { ...base, kind, values };
    }
    case 'VOLUME': {
      const values = listForm(kind, args, fail);
      if (values.length === 0) throw fail('VOLUME requires at least one argument');
      if (values.some((v) => v.trim() === '')) throw fail('VOLUME specified can not be an empty string');
      return { ...base, kind, values };
    }
    case 'HEALTHCHECK':
      checkHealthcheckFlags(flags, ctx.file, line);
      return { ...base, kind, check: healthcheck(args, fail) };
    case 'ONBUILD':
      return { ...base, kind, trigger: onbuildTrigger(logical, args, ctx) };
  }
}

type Fail = (message: string) => Error;

function fromArgs(
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

function commandForm(kind: InstructionKind, args: string, fail: Fail): CommandForm {
  const json = tryJsonForm(args);
  if (json.kind === 'not-strings') {
    throw fail(`${kind}: when using JSON array syntax, arrays must be comprised of strings only`);
  }
  return json.kind === 'json' ? { form: 'exec', argv: json.argv } : { form: 'shell', text: args };
}

/** COPY/ADD/VOLUME: a JSON array of strings, or whitespace-delimited words. */
function listForm(kind: InstructionKind, args: string, fail: Fail): string[] {
  const json = tryJsonForm(args);
  if (json.kind === 'not-strings') {
    throw fail(`${kind}: when using JSON array syntax, arrays must be comprised of strings only`);
  }
  return json.kind === 'json' ? [...json.argv] : splitWhitespace(args);
}

/** Heredocs only apply to the shell form (scan.ts already found none for JSON). */
function heredocsFor(args: string, heredocs: readonly Heredoc[]): readonly Heredoc[] {
  return tryJsonForm(args).kind === 'json' ? [] : heredocs;
}

/** ENV/LABEL: `KEY=VALUE ...` (raw words) or the legacy `KEY value with spaces`. */
function keyValues(kind: InstructionKind, args: string, escapeChar: string, fail: Fail): KeyValue[] {
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

function argDeclarations(
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

function healthcheck(
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

/**
 * ONBUILD's trigger: the text after the keyword (BuildKit's `original` minus `ONBUILD`), with
 * heredoc bodies appended as they would be written. The trigger must itself parse.
 */
function onbuildTrigger(logical: LogicalLine, args: string, ctx: InstructionContext): string {
  const fail = (message: string) => invalidAt(ctx.file, logical.line, message);
  if (args === '') throw fail('ONBUILD requires at least one argument');
  const keyword = splitKeyword(args).keyword.toUpperCase();
  if (keyword === 'ONBUILD') throw fail("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (keyword === 'FROM' || keyword === 'MAINTAINER')
    throw fail(`${keyword} isn't allowed as an ONBUILD trigger`);
  toInstruction({ ...logical, text: args }, ctx);
  const bodies = logical.heredocs.map((h) => `\n${h.content}${h.name}`).join('');
  return args + bodies;
}
