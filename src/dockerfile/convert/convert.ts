/**
 * `convertDockerfile`: a Dockerfile moved onto larder/Wolfi-style bases. Only FROM lines, RUN
 * instructions that call package managers or user tools, and ARG defaults that FROM lines use
 * change; every other line is kept byte for byte (comments, blank lines, continuations).
 */
import { type Dockerfile, type Instruction, parseDockerfile } from '../parse/index.js';
import { mapBaseImage } from './base-images.js';
import type { MappedPackage } from './package-managers.js';
import { rewriteShell } from './rewrite-shell.js';

/** Options of convertDockerfile. */
export interface ConvertOptions {
  /** Registry path the new bases live under (`ORG/wolfi-base:latest`); default `larder`. */
  readonly org?: string;
}

/** One rewritten instruction. */
export interface ConvertChange {
  /** 1-based lines of the original instruction; for `added`, the line it was added after. */
  readonly line: number;
  readonly endLine: number;
  readonly kind: 'FROM' | 'RUN' | 'ARG' | 'USER';
  /** `added` for the USER root line inserted after a FROM, `removed` for a RUN left empty. */
  readonly action: 'rewritten' | 'removed' | 'added';
  readonly before: string;
  readonly after: string;
  readonly notes: readonly string[];
}

/** Something a human must look at: an unmapped package, a dropped pin, a FROM left alone. */
export interface ConvertFlag {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface ConvertResult {
  readonly text: string;
  readonly changes: readonly ConvertChange[];
  readonly flags: readonly ConvertFlag[];
  readonly packages: readonly MappedPackage[];
}

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

/** Offset of the shell text in a RUN instruction's source: after the keyword and `--flags`. */
export function shellStart(source: string, escapeChar: '\\' | '`'): number {
  const gap = `(?:[ \\t]|${escapeChar === '\\' ? '\\\\' : '`'}[ \\t]*\\r?\\n)+`;
  const m = new RegExp(`^\\s*[A-Za-z]+(?:${gap}--[^\\s]+)*${gap}`).exec(source);
  return m === null ? source.length : m[0].length;
}

/** `RUN <<EOF` (or `<<-EOF`, `<<"EOF"`) alone: one heredoc that is the script the shell runs. */
function isHeredocScript(text: string, heredocs: readonly { readonly name: string }[]): boolean {
  const m = /^<<-?(["']?)([A-Za-z0-9_.-]+)\1$/.exec(text.trim());
  return heredocs.length === 1 && m !== null && m[2] === heredocs[0]?.name;
}

/** `$NAME` or `${NAME}` alone: the variable's name. */
function singleVariable(word: string): string | undefined {
  return /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/
    .exec(word)
    ?.slice(1)
    .find((s) => s !== undefined);
}

/** The FROM line with its image word replaced, or undefined when the word is not found. */
function replaceFromImage(
  source: string,
  image: string,
  replacement: string,
  escapeChar: '\\' | '`',
): string | undefined {
  const start = shellStart(source, escapeChar);
  if (!source.startsWith(image, start)) return undefined;
  return source.slice(0, start) + replacement + source.slice(start + image.length);
}

/** The ARG line with `NAME=value` given a new value, or undefined when not found. */
function replaceArgDefault(source: string, name: string, value: string): string | undefined {
  const m = new RegExp(`(^|\\s)${name}=("[^"]*"|'[^']*'|\\S*)`).exec(source);
  if (m === null) return undefined;
  const at = m.index + (m[1] ?? '').length + name.length + 1;
  return source.slice(0, at) + value + source.slice(at + (m[2] ?? '').length);
}

interface FromConversion {
  readonly image: string;
  readonly notes: string[];
  readonly viaArg: { readonly name: string; readonly arg: Extract<Instruction, { kind: 'ARG' }> } | undefined;
}

/** The new image of one FROM, or undefined when it stays (stage name, scratch, unknown base). */
function convertFrom(
  df: Dockerfile,
  from: FromInstruction,
  stageNames: ReadonlySet<string>,
  org: string,
  runs: boolean,
  flags: ConvertFlag[],
): FromConversion | undefined {
  const raw = from.image;
  if (stageNames.has(raw.toLowerCase()) || raw === 'scratch') return undefined;
  let resolved = raw;
  let viaArg: FromConversion['viaArg'];
  const notes: string[] = [];
  if (raw.includes('$')) {
    const defaults = new Map<string, Extract<Instruction, { kind: 'ARG' }>>();
    const values = new Map<string, string>();
    for (const arg of df.globalArgs) {
      for (const a of arg.args) {
        if (a.value !== undefined) {
          values.set(a.name, unquote(a.value));
          defaults.set(a.name, arg);
        }
      }
    }
    const missing: string[] = [];
    resolved = raw.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (_, a, d, b) => {
        const name = (a ?? b) as string;
        const value = values.get(name) ?? (d as string | undefined);
        if (value === undefined) missing.push(name);
        return value ?? '';
      },
    );
    if (missing.length > 0 || resolved.includes('$')) {
      flags.push({
        file: from.span.file,
        line: from.span.line,
        message: `FROM ${raw}: ${missing.length > 0 ? `ARG ${missing.join(', ')} has no default` : 'cannot resolve'}; not converted`,
      });
      return undefined;
    }
    if (stageNames.has(resolved.toLowerCase()) || resolved === 'scratch') return undefined;
    const single = singleVariable(raw);
    const arg = single === undefined ? undefined : defaults.get(single);
    if (single !== undefined && arg !== undefined) viaArg = { name: single, arg };
    notes.push(`resolved ${raw} to ${resolved} through the ARG defaults`);
  }
  const mapped = mapBaseImage(resolved, org, runs);
  if (mapped === undefined) return undefined;
  notes.push(`${resolved} → ${mapped.image}`);
  if (mapped.droppedDigest) {
    notes.push('the digest named an image of the old base and was dropped');
    flags.push({
      file: from.span.file,
      line: from.span.line,
      message: `digest of ${resolved} dropped; pin the new base again`,
    });
  }
  return { image: mapped.image, notes, viaArg };
}

function unquote(v: string): string {
  return /^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v;
}
