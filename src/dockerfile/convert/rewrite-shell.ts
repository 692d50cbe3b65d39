/**
 * Rewrites the shell text of one RUN instruction: package-manager calls become `apk` calls,
 * index refreshes and cache cleanup go, `useradd`/`groupadd` become busybox's tools. Pure: text
 * in, text out, with every byte that needs no change left where it was.
 */
import {
  type CommandAction,
  type Flag,
  type MappedPackage,
  packageManagerAction,
} from './package-managers.js';
import {
  applyEdits,
  dropCommands,
  removeWords,
  type ShellCommand,
  splitCommands,
  type TextEdit,
} from './shell-commands.js';
import { type LexOptions, lexShell } from './shell-lex.js';
import { userCommandAction } from './users.js';

/** The outcome of rewriting one shell text. */
export interface ShellRewrite {
  /** The new text; equal to the input when nothing changed. */
  readonly text: string;
  /** Every command was dropped: the instruction has nothing left to run. */
  readonly empty: boolean;
  /** Some command installs packages with `apk add` after the rewrite. */
  readonly installs: boolean;
  readonly packages: readonly MappedPackage[];
  /** What was done, one short phrase per rewritten or dropped command. */
  readonly notes: readonly string[];
  /** Offsets are into the input text. */
  readonly flags: readonly Flag[];
}

/** Package-manager caches that an APK image built with `apk add --no-cache` never has. */
const CACHE_PATH =
  /^["']?\/var\/(lib\/apt\/lists|cache\/(apt|yum|dnf|apk|debconf)|lib\/dnf|lib\/yum)(\/[^"']*)?["']?$/;

/** A Debian or Fedora package tool anywhere in a command (not in a path such as /var/lib/apt). */
const HIDDEN_MANAGER = /(^|[\s;&|(`$])(apt-get|aptitude|apt|yum|dnf|microdnf|dpkg|rpm)(?=$|[\s;&|)`])/;

/** `rm -rf` of package caches: drop when every path is a cache, else drop those paths. */
function cacheCleanupAction(command: ShellCommand): CommandAction | undefined {
  const [first, ...rest] = command.tokens;
  if (first?.kind !== 'word' || first.value !== 'rm') return undefined;
  const paths = rest.flatMap((t, i) =>
    t.kind === 'word' && !t.raw.startsWith('-') ? [{ t, i: i + 1 }] : [],
  );
  if (rest.some((t) => t.kind !== 'word') || paths.length === 0) return undefined;
  const caches = paths.filter(({ t }) => CACHE_PATH.test(t.raw));
  if (caches.length === 0) return undefined;
  if (caches.length === paths.length) return { kind: 'drop', reason: 'package cache cleanup' };
  return {
    kind: 'rewrite',
    edits: removeWords(command.tokens, new Set(caches.map(({ i }) => i))),
    flags: [],
    packages: [],
    installs: false,
  };
}

/** `rewriteShell(text)`: see ShellRewrite. `escapeChar` is the Dockerfile's escape character. */
export function rewriteShell(
  text: string,
  escapeChar: '\\' | '`' = '\\',
  options: LexOptions = {},
): ShellRewrite {
  const lex = lexShell(text, escapeChar, options);
  const commands = splitCommands(lex);
  const drop = new Set<number>();
  const edits: TextEdit[] = [];
  const flags: Flag[] = [];
  const packages: MappedPackage[] = [];
  const notes: string[] = [];
  let installs = false;
  commands.forEach((command, i) => {
    const action = packageManagerAction(command) ?? userCommandAction(command) ?? cacheCleanupAction(command);
    if (action === undefined) {
      // `xargs apt-get install`, `$(dpkg ...)`, `dpkg -i x.deb`: left as written, but said.
      const raw = text.slice(command.start, command.end);
      const hidden = HIDDEN_MANAGER.exec(raw);
      if (hidden !== null) {
        flags.push({
          offset: command.start + hidden.index + (hidden[1] ?? '').length,
          message: `${hidden[2]} is called in a way the converter does not read; convert it by hand`,
        });
      }
      return;
    }
    switch (action.kind) {
      case 'keep':
        flags.push(...action.flags);
        return;
      case 'drop':
        drop.add(i);
        notes.push(`dropped ${action.reason}`);
        return;
      case 'rewrite': {
        const before = text.slice(command.start, command.end);
        const after = applyEdits(
          before,
          action.edits.map((e) => ({ ...e, start: e.start - command.start, end: e.end - command.start })),
        );
        edits.push(...action.edits);
        flags.push(...action.flags);
        packages.push(...action.packages);
        installs ||= action.installs;
        if (after !== before) notes.push(`${firstWords(before)} → ${firstWords(after)}`);
        return;
      }
    }
  });
  if (lex.opaqueFrom !== undefined && commands.length === 0) {
    return { text, empty: false, installs, packages, notes, flags };
  }
  const dropped = dropCommands(commands, drop, lex.opaqueFrom !== undefined);
  if (dropped.empty) return { text: '', empty: true, installs: false, packages, notes, flags };
  // Edits inside dropped commands are moot: keep only those outside every dropped range.
  const outside = edits.filter((e) => !dropped.edits.some((d) => e.start >= d.start && e.end <= d.end));
  const removals = dropped.edits.map((e) => keepComments(text, e, options.script ? undefined : escapeChar));
  return {
    text: applyEdits(text, [...outside, ...removals]),
    empty: false,
    installs,
    packages,
    notes,
    flags,
  };
}

/**
 * A removal that spans Dockerfile comment lines (inside a continuation) keeps them: in place,
 * after a continuation, when text follows; as comment lines after the instruction when the
 * removal runs to its end. `escapeChar` is undefined in a script, where no continuation is needed.
 */
function keepComments(text: string, edit: TextEdit, escapeChar: '\\' | '`' | undefined): TextEdit {
  if (edit.text !== '') return edit;
  const lines = text.slice(edit.start, edit.end).split('\n');
  const comments = lines.slice(1).filter((l) => l.trim().startsWith('#'));
  if (comments.length === 0) return edit;
  if (text.slice(edit.end).trim() === '') return { ...edit, text: `\n${comments.join('\n')}` };
  const indent = /^[ \t]*/.exec(lines[lines.length - 1] ?? '')?.[0] ?? '';
  // In a script a comment line needs no continuation around it.
  if (escapeChar === undefined) return { ...edit, text: `${comments.join('\n')}\n${indent}` };
  return { ...edit, text: `${escapeChar}\n${comments.join('\n')}\n${indent}` };
}

/** The command's first line, shortened, for notes. */
function firstWords(command: string): string {
  const line = (command.split('\n')[0] ?? '').replace(/\s*\\$/, '').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
