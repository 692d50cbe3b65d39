/**
 * `convertDockerfile`: a Dockerfile moved onto larder/Wolfi-style bases. Only FROM lines, RUN
 * instructions that call package managers or user tools, and ARG defaults that FROM lines use
 * change; every other line is kept byte for byte (comments, blank lines, continuations).
 */
import { type Instruction, parseDockerfile } from '../parse/index.js';
import {
  convertFrom,
  replaceArgDefault,
  replaceFromImage,
  shellStart,
  singleVariable,
} from './from-lines.js';
import type { ConvertChange, ConvertFlag, ConvertOptions, ConvertResult } from './model.js';
import type { MappedPackage } from './package-managers.js';
import { rewriteShell } from './rewrite-shell.js';

type FromInstruction = Extract<Instruction, { kind: 'FROM' }>;

/** Converts `text` (named `file` in errors and flags); throws DOCKERFILE_INVALID on bad input. */
export function convertDockerfile(text: string, file: string, options: ConvertOptions = {}): ConvertResult {
  const org = (options.org ?? 'larder').replace(/\/+$/, '');
  const df = parseDockerfile(text, file);
  const lines = text.split('\n');
  const escapeChar = df.directives.escape;
  const replaced = new Map<number, { endLine: number; text: string | undefined }>();
  const inserted = new Map<number, string>();
  const changes: ConvertChange[] = [];
  const flags: ConvertFlag[] = [];
  const packages: MappedPackage[] = [];
  const source = (i: Instruction): string => lines.slice(i.span.line - 1, i.span.endLine).join('\n');
  const lineAt = (i: Instruction, offset: number): number =>
    i.span.line + (source(i).slice(0, offset).match(/\n/g)?.length ?? 0);

  const argTargets = new Map<string, { arg: Extract<Instruction, { kind: 'ARG' }>; images: Set<string> }>();
  const fromRewrites: Array<{ from: FromInstruction; image: string; notes: string[] }> = [];
  const ctx: RunContext = { lines, escapeChar, file, replaced, changes, flags, packages, source, lineAt };

  // RUN instructions first: whether a stage runs shell commands or installs decides its FROM.
  const stages = df.stages;
  const installs = stages.map((stage) =>
    stage.instructions.map((ins) => convertRun(ins, ctx)).some((i) => i),
  );
  const runs = stages.map((stage) => stage.instructions.some((ins) => ins.kind === 'RUN'));
  // A stage built on an earlier one (`FROM build`) needs a shell in that one too.
  const parent = stages.map((stage, i) => {
    const j = stages.findIndex(
      (s, k) => k < i && s.name !== undefined && s.name === stage.from.image.toLowerCase(),
    );
    return j < 0 ? undefined : j;
  });
  for (let i = stages.length - 1; i >= 0; i--) {
    const p = parent[i];
    if (p !== undefined) runs[p] = (runs[p] ?? false) || (runs[i] ?? false);
  }

  const stageNames = new Set<string>();
  const moved: boolean[] = [];
  const endsAsRoot: boolean[] = [];
  stages.forEach((stage, i) => {
    const converted = convertFrom(df, stage.from, stageNames, org, runs[i] ?? false, flags);
    if (stage.name !== undefined) stageNames.add(stage.name);
    const p = parent[i];
    moved[i] = converted !== undefined || (p !== undefined && (moved[p] ?? false));
    if (converted?.viaArg !== undefined) {
      const entry = argTargets.get(converted.viaArg.name) ?? { arg: converted.viaArg.arg, images: new Set() };
      entry.images.add(converted.image);
      argTargets.set(converted.viaArg.name, entry);
    }
    if (converted !== undefined)
      fromRewrites.push({ from: stage.from, image: converted.image, notes: converted.notes });
    const first = stage.instructions[0];
    const inheritedRoot = converted === undefined && p !== undefined && (endsAsRoot[p] ?? false);
    const addRoot =
      (installs[i] ?? false) &&
      (moved[i] ?? false) &&
      !inheritedRoot &&
      !(first?.kind === 'USER' && isRoot(first.value));
    if (addRoot) addUserRoot(stage.from, ctx, inserted);
    const users = stage.instructions.flatMap((ins) => (ins.kind === 'USER' ? [ins] : []));
    const last = users[users.length - 1];
    endsAsRoot[i] = last !== undefined ? isRoot(last.value) : addRoot || inheritedRoot;
  });

  // FROM ${BASE} with one conversion for every FROM that uses BASE: rewrite the ARG default, so
  // --build-arg BASE=... still works. Otherwise the FROM line gets the literal image.
  for (const { from, image, notes } of fromRewrites) {
    const viaArg = singleVariable(from.image);
    const target = viaArg === undefined ? undefined : argTargets.get(viaArg);
    if (target !== undefined && target.images.size === 1 && viaArg !== undefined) {
      if (replaced.has(target.arg.span.line)) continue;
      const before = source(target.arg);
      const after = replaceArgDefault(before, viaArg, image);
      if (after === undefined) continue;
      replaced.set(target.arg.span.line, { endLine: target.arg.span.endLine, text: after });
      changes.push(
        change(target.arg, 'ARG', 'rewritten', before, after, [
          `default of ${viaArg} used by FROM`,
          ...notes,
        ]),
      );
      continue;
    }
    const before = source(from);
    const after = replaceFromImage(before, from.image, image, escapeChar);
    if (after === undefined || after === before) continue;
    replaced.set(from.span.line, { endLine: from.span.endLine, text: after });
    changes.push(change(from, 'FROM', 'rewritten', before, after, notes));
  }

  const out: string[] = [];
  for (let n = 1; n <= lines.length; n++) {
    const r = replaced.get(n);
    if (r !== undefined) {
      if (r.text !== undefined) out.push(r.text);
      const add = inserted.get(r.endLine);
      if (add !== undefined) out.push(add);
      n = r.endLine;
      continue;
    }
    out.push(lines[n - 1] ?? '');
    const add = inserted.get(n);
    if (add !== undefined) out.push(add);
  }
  // By line; a line added after an instruction comes after that instruction's own change.
  changes.sort((a, b) => a.line - b.line || Number(a.action === 'added') - Number(b.action === 'added'));
  flags.sort((a, b) => a.line - b.line);
  return { text: out.join('\n'), changes, flags, packages };
}

/** Rewrites one RUN instruction (other instructions are left); true when it installs packages. */
function convertRun(ins: Instruction, ctx: RunContext): boolean {
  if (ins.kind !== 'RUN') return false;
  const { lines, escapeChar, file, flags } = ctx;
  const whole = ctx.source(ins);
  let head: string;
  let shell: string;
  let tail: string;
  let script = false;
  if (ins.command.form === 'shell' && isHeredocScript(ins.command.text, ins.heredocs)) {
    // RUN <<EOF: the body is the script. Its lines sit between the first and the last line.
    head = `${lines[ins.span.line - 1] ?? ''}\n`;
    shell = lines.slice(ins.span.line, ins.span.endLine - 1).join('\n');
    tail = `\n${lines[ins.span.endLine - 1] ?? ''}`;
    script = true;
  } else if (ins.command.form === 'shell' && ins.heredocs.length === 0) {
    const start = shellStart(whole, escapeChar);
    head = whole.slice(0, start);
    shell = whole.slice(start);
    tail = '';
  } else if (ins.command.form === 'exec') {
    return convertExecRun(ins, ins.command.argv, ctx);
  } else {
    if (/\b(apt-get|apt|yum|dnf|microdnf|useradd|groupadd)\b/.test(whole)) {
      flags.push({
        file,
        line: ins.span.line,
        message: 'RUN with a heredoc is not converted; convert its script by hand',
      });
    }
    return false;
  }
  const result = rewriteShell(shell, escapeChar, { script });
  for (const f of result.flags)
    flags.push({ file, line: ctx.lineAt(ins, head.length + f.offset), message: f.message });
  ctx.packages.push(...result.packages);
  if (result.empty || (script && result.text.trim() === '')) {
    ctx.replaced.set(ins.span.line, { endLine: ins.span.endLine, text: undefined });
    ctx.changes.push(change(ins, 'RUN', 'removed', whole, '', result.notes));
  } else if (result.text !== shell) {
    const after = head + result.text + tail;
    ctx.replaced.set(ins.span.line, { endLine: ins.span.endLine, text: after });
    ctx.changes.push(change(ins, 'RUN', 'rewritten', whole, after, result.notes));
  }
  return result.installs;
}

/**
 * `RUN ["apt-get", "install", "-y", "curl"]`: the argv read as one command and written back in
 * exec form when the result is still one command; anything else is flagged and kept.
 */
function convertExecRun(ins: Instruction, argv: readonly string[], ctx: RunContext): boolean {
  const flag = (message: string): false => {
    ctx.flags.push({ file: ctx.file, line: ins.span.line, message });
    return false;
  };
  if (!/^(apt-get|apt|aptitude|yum|dnf|microdnf|apk|useradd|groupadd|usermod)$/.test(argv[0] ?? '')) {
    const hidden = argv.some((a) =>
      /(^|[\s;&|(`$])(apt-get|apt|yum|dnf|microdnf|useradd|groupadd)(\s|$)/.test(a),
    );
    return hidden
      ? flag('RUN in exec form calls a package tool through another program; convert it by hand')
      : false;
  }
  if (!argv.every((a) => /^[A-Za-z0-9_.,:=+/@%~-]+$/.test(a))) {
    return flag('RUN in exec form with words the converter cannot read; not converted');
  }
  const joined = argv.join(' ');
  const result = rewriteShell(joined, ctx.escapeChar);
  for (const f of result.flags) ctx.flags.push({ file: ctx.file, line: ins.span.line, message: f.message });
  ctx.packages.push(...result.packages);
  const whole = ctx.source(ins);
  if (result.empty) {
    ctx.replaced.set(ins.span.line, { endLine: ins.span.endLine, text: undefined });
    ctx.changes.push(change(ins, 'RUN', 'removed', whole, '', result.notes));
    return false;
  }
  if (result.text === joined) return result.installs;
  if (/[&|;]/.test(result.text)) return flag('RUN in exec form becomes several commands; not converted');
  const start = shellStart(whole, ctx.escapeChar);
  const after = `${whole.slice(0, start)}[${result.text
    .split(' ')
    .map((w) => JSON.stringify(w))
    .join(', ')}]`;
  ctx.replaced.set(ins.span.line, { endLine: ins.span.endLine, text: after });
  ctx.changes.push(change(ins, 'RUN', 'rewritten', whole, after, result.notes));
  return result.installs;
}

/** What convertRun needs of the conversion in progress. */
interface RunContext {
  readonly lines: readonly string[];
  readonly escapeChar: '\\' | '`';
  readonly file: string;
  readonly replaced: Map<number, { endLine: number; text: string | undefined }>;
  readonly changes: ConvertChange[];
  readonly flags: ConvertFlag[];
  readonly packages: MappedPackage[];
  readonly source: (i: Instruction) => string;
  readonly lineAt: (i: Instruction, offset: number) => number;
}

function isRoot(user: string): boolean {
  return /^(root|0)(:.*)?$/.test(user);
}

/** `USER root` after a FROM (its indentation and line end). */
function addUserRoot(from: FromInstruction, ctx: RunContext, inserted: Map<number, string>): void {
  const indent = /^[ \t]*/.exec(ctx.lines[from.span.line - 1] ?? '')?.[0] ?? '';
  const cr = (ctx.lines[from.span.endLine - 1] ?? '').endsWith('\r') ? '\r' : '';
  inserted.set(from.span.endLine, `${indent}USER root${cr}`);
  ctx.changes.push({
    line: from.span.endLine,
    endLine: from.span.endLine,
    kind: 'USER',
    action: 'added',
    before: '',
    after: `${indent}USER root`,
    notes: ['the stage installs packages; larder/Wolfi-style images run as a non-root user'],
  });
}

function change(
  ins: Instruction,
  kind: ConvertChange['kind'],
  action: ConvertChange['action'],
  before: string,
  after: string,
  notes: readonly string[],
): ConvertChange {
  return { line: ins.span.line, endLine: ins.span.endLine, kind, action, before, after, notes };
}

/** `RUN <<EOF` (or `<<-EOF`, `<<"EOF"`) alone: one heredoc that is the script the shell runs. */
function isHeredocScript(text: string, heredocs: readonly { readonly name: string }[]): boolean {
  const m = /^<<-?(["']?)([A-Za-z0-9_.-]+)\1$/.exec(text.trim());
  return heredocs.length === 1 && m !== null && m[2] === heredocs[0]?.name;
}
