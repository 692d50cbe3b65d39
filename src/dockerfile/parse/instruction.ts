import { argDeclarations, commandForm, fromArgs, healthcheck, keyValues, listForm } from './arguments.js';
import { invalidAt } from './errors.js';
import { checkHealthcheckFlags, parseFlags } from './flags.js';
import { isHeredocMarker } from './heredoc.js';
import { instructionKind } from './keywords.js';
import type { Heredoc, Instruction } from './model.js';
import type { LogicalLine } from './scan.js';
import { extractFlags, splitKeyword, splitWhitespace, tryJsonForm } from './words.js';

/**
 * The second pass, as BuildKit's `instructions.Parse`: one logical line becomes one typed
 * instruction, its arguments checked (counts, forms, flags) and kept raw for expansion later.
 */

export interface InstructionContext {
  readonly file: string;
  readonly escape: '\\' | '`';
  readonly lines: readonly string[];
}

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
      if (isHeredocMarker(dest)) throw fail(`${kind} cannot accept a heredoc as a destination`);
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

/** Heredocs only apply to the shell form (scan.ts already found none for JSON). */
function heredocsFor(args: string, heredocs: readonly Heredoc[]): readonly Heredoc[] {
  return tryJsonForm(args).kind === 'json' ? [] : heredocs;
}

/** ENV/LABEL: `KEY=VALUE ...` (raw words) or the legacy `KEY value with spaces`. */

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
