import type { CommandForm, Instruction } from '../parse/index.js';
import { invalid } from './metadata.js';
import { DEFAULT_SHELL, type StageState } from './stage-state.js';

type RunInstruction = Extract<Instruction, { kind: 'RUN' }>;

/** What a RUN executes: argv, and whether it may use the network. */
export interface RunPlan {
  readonly argv: string[];
  readonly network: boolean;
  /** The history text: `RUN /bin/sh -c make`. */
  readonly text: string;
  /** The words of a RUN that is one simple command (for `apk add` done natively), else undefined. */
  readonly words?: string[];
  /** A `#!` heredoc body: written to a file in the root, run by path as `argv`'s only word, then removed. */
  readonly script?: string;
}

const SHELL_META = /[$`;&|<>()\n\\*?[\]{}~#]/;

/**
 * The words of a shell-form command when it is ONE simple command: no expansions, operators,
 * redirections, globs or comments; quotes are removed. Undefined for anything a shell must
 * interpret.
 */
export function simpleWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (const c of text) {
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (quote === '"' && SHELL_META.test(c)) return undefined;
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (SHELL_META.test(c)) return undefined;
    else word = (word ?? '') + c;
  }
  if (quote !== undefined) return undefined;
  if (word !== undefined) words.push(word);
  return words.length > 0 ? words : undefined;
}

/** The shell text BuildKit runs for a RUN with heredocs: the command, then each body and its delimiter. */
function withHeredocs(instruction: RunInstruction, text: string): string {
  let out = text;
  for (const doc of instruction.heredocs) out += `\n${doc.content}${doc.name}`;
  return out;
}

/**
 * Plans a RUN: exec form runs its argv; shell form runs `SHELL + [text]`; a RUN that is only
 * a heredoc (`RUN <<EOF`) runs the body as the script (through its `#!` interpreter when it has
 * one, as BuildKit does); other heredocs are fed to the shell with the text. `--network=none`
 * always cuts the network; otherwise the build's `--network` decides.
 */
export function planRun(state: StageState, instruction: RunInstruction, buildNetwork: boolean): RunPlan {
  let network = buildNetwork;
  for (const flag of instruction.flags) {
    if (flag.name === 'network') {
      if (!['none', 'default', 'host'].includes(flag.value ?? ''))
        throw invalid(instruction, `RUN --network=${flag.value ?? ''}: expected none, default or host`);
      if (flag.value === 'none') network = false;
    } else if (flag.name !== 'mount')
      throw invalid(instruction, `RUN --${flag.name} is not supported (see docs/dockerfile.md)`);
  }
  const shell = [...(state.config.Shell ?? DEFAULT_SHELL)];
  const command: CommandForm = instruction.command;
  if (command.form === 'exec') {
    return { argv: [...command.argv], network, text: `RUN ${JSON.stringify(command.argv)}` };
  }
  const only = instruction.heredocs.length === 1 && /^<<-?["']?[A-Za-z0-9_]+["']?$/.test(command.text.trim());
  if (only) {
    const body = instruction.heredocs[0]!.content;
    const text = `RUN ${command.text.trim()}`;
    // With a `#!` line the body is a script file the kernel runs through its interpreter.
    if (body.startsWith('#!')) return { argv: [], script: body, network, text };
    return { argv: [...shell, body], network, text };
  }
  const text = instruction.heredocs.length > 0 ? withHeredocs(instruction, command.text) : command.text;
  const words = instruction.heredocs.length === 0 ? simpleWords(command.text) : undefined;
  return {
    argv: [...shell, text],
    network,
    text: `RUN ${shell.join(' ')} ${command.text}`,
    ...(words ? { words } : {}),
  };
}
