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

  const stageNames = new Set<string>();
  const argTargets = new Map<string, { arg: Extract<Instruction, { kind: 'ARG' }>; images: Set<string> }>();
  const fromRewrites: Array<{ from: FromInstruction; image: string; notes: string[] }> = [];

  for (const stage of df.stages) {
    let installs = false;
    let runs = false;
    for (const ins of stage.instructions) {
      if (ins.kind !== 'RUN') continue;
      runs ||= ins.command.form === 'shell';
      if (ins.command.form === 'shell' && isHeredocScript(ins.command.text, ins.heredocs)) {
        // RUN <<EOF: the body is the script. Its lines sit between the first and the last line.
        const head = lines[ins.span.line - 1] ?? '';
        const body = lines.slice(ins.span.line, ins.span.endLine - 1).join('\n');
        const result = rewriteShell(body, escapeChar, { script: true });
        const offset = head.length + 1;
        for (const f of result.flags)
          flags.push({ file, line: lineAt(ins, offset + f.offset), message: f.message });
        packages.push(...result.packages);
        installs ||= result.installs;
        const whole = source(ins);
        if (result.empty || result.text.trim() === '') {
          replaced.set(ins.span.line, { endLine: ins.span.endLine, text: undefined });
          changes.push(change(ins, 'RUN', 'removed', whole, '', result.notes));
        } else if (result.text !== body) {
          const after = [head, result.text, lines[ins.span.endLine - 1] ?? ''].join('\n');
          replaced.set(ins.span.line, { endLine: ins.span.endLine, text: after });
          changes.push(change(ins, 'RUN', 'rewritten', whole, after, result.notes));
        }
        continue;
      }
      if (ins.command.form !== 'shell' || ins.heredocs.length > 0) {
        if (
          ins.command.form === 'exec' &&
          /^(apt-get|apt|yum|dnf|microdnf|apk)$/.test(ins.command.argv[0] ?? '')
        ) {
          flags.push({
            file,
            line: ins.span.line,
            message: 'RUN in exec form calls a package manager; not converted',
          });
        } else if (
          ins.heredocs.length > 0 &&
          /\b(apt-get|apt|yum|dnf|microdnf|useradd|groupadd)\b/.test(source(ins))
        ) {
          flags.push({
            file,
            line: ins.span.line,
            message: 'RUN with a heredoc is not converted; convert its script by hand',
          });
        }
        continue;
      }
      const whole = source(ins);
      const start = shellStart(whole, escapeChar);
      const result = rewriteShell(whole.slice(start), escapeChar);
      for (const f of result.flags)
        flags.push({ file, line: lineAt(ins, start + f.offset), message: f.message });
      packages.push(...result.packages);
      installs ||= result.installs;
      if (result.empty) {
        replaced.set(ins.span.line, { endLine: ins.span.endLine, text: undefined });
        changes.push(change(ins, 'RUN', 'removed', whole, '', result.notes));
      } else if (result.text !== whole.slice(start)) {
        const after = whole.slice(0, start) + result.text;
        replaced.set(ins.span.line, { endLine: ins.span.endLine, text: after });
        changes.push(change(ins, 'RUN', 'rewritten', whole, after, result.notes));
      }
    }
    const converted = convertFrom(df, stage.from, stageNames, org, runs, flags);
    if (stage.name !== undefined) stageNames.add(stage.name);
    if (converted === undefined) continue;
    if (converted.viaArg !== undefined) {
      const entry = argTargets.get(converted.viaArg.name) ?? { arg: converted.viaArg.arg, images: new Set() };
      entry.images.add(converted.image);
      argTargets.set(converted.viaArg.name, entry);
    }
    fromRewrites.push({ from: stage.from, image: converted.image, notes: converted.notes });
    const first = stage.instructions[0];
    if (installs && !(first?.kind === 'USER' && /^(root|0)(:.*)?$/.test(first.value))) {
      const indent = /^[ \t]*/.exec(lines[stage.from.span.line - 1] ?? '')?.[0] ?? '';
      const cr = (lines[stage.from.span.endLine - 1] ?? '').endsWith('\r') ? '\r' : '';
      inserted.set(stage.from.span.endLine, `${indent}USER root${cr}`);
      changes.push({
        line: stage.from.span.endLine,
        endLine: stage.from.span.endLine,
        kind: 'USER',
        action: 'added',
        before: '',
        after: `${indent}USER root`,
        notes: ['the stage installs packages; larder/Wolfi-style images run as a non-root user'],
      });
    }
  }

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
