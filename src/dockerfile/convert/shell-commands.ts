/**
 * Commands of a RUN line (the words between control operators) and the text edits that drop or
 * rewrite them without disturbing the layout around them.
 */
import type { ShellLex, ShellOperator, ShellToken, ShellWord } from './shell-lex.js';

/** Reserved words that may open a command position: the command proper starts after them. */
const PREFIX_WORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);

/** A simple command: its words (redirections and their targets included, in order). */
export interface ShellCommand {
  /** Tokens from the first word after any reserved prefix word to the last token of the command. */
  readonly tokens: readonly (ShellWord | Exclude<ShellToken, ShellOperator>)[];
  /** Reserved words before it (`then`, `do`, ...): such a command is never removed outright. */
  readonly prefixed: boolean;
  readonly start: number;
  readonly end: number;
  /** Operators before and after it; undefined at the start or end of the text. */
  readonly before: ShellOperator['op'] | undefined;
  readonly after: ShellOperator['op'] | undefined;
}

/** Replace `[start, end)` of the text by `text`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Splits lexed tokens into commands. Reserved words such as `fi` or `done` form their own commands. */
export function splitCommands(lex: ShellLex): ShellCommand[] {
  const out: ShellCommand[] = [];
  let current: Exclude<ShellToken, ShellOperator>[] = [];
  let prefixed = false;
  let before: ShellOperator['op'] | undefined;
  const flush = (after: ShellOperator['op'] | undefined): void => {
    const first = current[0];
    const last = current[current.length - 1];
    if (first !== undefined && last !== undefined) {
      out.push({ tokens: current, prefixed, start: first.start, end: last.end, before, after });
    }
    current = [];
    prefixed = false;
  };
  for (const t of lex.tokens) {
    if (t.kind === 'op') {
      flush(t.op);
      before = t.op;
      continue;
    }
    if (current.length === 0 && t.kind === 'word' && t.value !== undefined && PREFIX_WORDS.has(t.value)) {
      prefixed = true;
      before = undefined;
      continue;
    }
    current.push(t);
  }
  flush(undefined);
  return out;
}

const SEQUENTIAL = new Set<string | undefined>(['&&', ';', '\n', undefined]);

/** A command that only succeeds: `true` or `:`. */
function isTrue(c: ShellCommand | undefined): boolean {
  const only = c?.tokens.length === 1 ? c.tokens[0] : undefined;
  return only?.kind === 'word' && (only.value === 'true' || only.value === ':') && !c?.prefixed;
}

/**
 * Edits that remove the commands at `drop` (indexes into `commands`). A run of dropped commands
 * joined by `&&`/`;` goes together with its separators; a command that cannot go cleanly (inside
 * a pipeline, after `||`, in a reserved-word position, a lexing stop after it) becomes `true`.
 * `empty` is set when every command went: the caller removes the whole instruction.
 */
export function dropCommands(
  commands: readonly ShellCommand[],
  dropped: ReadonlySet<number>,
  opaque: boolean,
): { readonly edits: TextEdit[]; readonly empty: boolean } {
  const edits: TextEdit[] = [];
  // `apt-get update || true` goes as a whole: the `|| true` only guarded the dropped command.
  const drops = new Set(dropped);
  for (const i of dropped) {
    if (commands[i]?.after === '||' && isTrue(commands[i + 1])) drops.add(i + 1);
  }
  const removable = (c: ShellCommand, i: number): boolean =>
    !c.prefixed &&
    (SEQUENTIAL.has(c.before) || (c.before === '||' && drops.has(i - 1) && isTrue(c))) &&
    (SEQUENTIAL.has(c.after) || (c.after === '||' && drops.has(i + 1) && isTrue(commands[i + 1]))) &&
    !(opaque && c.after === undefined);
  const drop: ReadonlySet<number> = drops;
  const keep = commands.map((c, i) => !drop.has(i) || !removable(c, i));
  if (keep.every((k) => !k) && commands.length > 0) {
    return { edits: [], empty: true };
  }
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i];
    if (c === undefined || !drop.has(i)) continue;
    if (keep[i]) {
      edits.push({ start: c.start, end: c.end, text: 'true' });
      continue;
    }
    let j = i;
    while (j + 1 < commands.length && !keep[j + 1] && drop.has(j + 1)) j++;
    const next = commands[j + 1];
    const last = commands[j];
    if (next !== undefined) {
      edits.push({ start: c.start, end: next.start, text: '' });
    } else if (last !== undefined) {
      const prev = commands[i - 1];
      edits.push({ start: prev === undefined ? c.start : prev.end, end: last.end, text: '' });
    }
    i = j;
  }
  return { edits, empty: false };
}

/** Applies non-overlapping edits to `text`. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * Edits that remove single words of one command (options, duplicate packages). A word goes with
 * the blanks before it, so `a \⏎    b \⏎    c` without `b` keeps its line breaks; the first
 * word of a command goes with the blanks after it.
 */
export function removeWords(
  tokens: readonly { readonly start: number; readonly end: number }[],
  remove: ReadonlySet<number>,
): TextEdit[] {
  const edits: TextEdit[] = [];
  let lead = 0;
  while (remove.has(lead) && lead < tokens.length) lead++;
  const first = tokens[0];
  if (lead > 0 && first !== undefined) {
    const kept = tokens[lead];
    edits.push({
      start: first.start,
      end: kept === undefined ? (tokens[lead - 1]?.end ?? first.end) : kept.start,
      text: '',
    });
  }
  for (const i of remove) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    if (i < lead || t === undefined || prev === undefined) continue;
    edits.push({ start: prev.end, end: t.end, text: '' });
  }
  return edits;
}
