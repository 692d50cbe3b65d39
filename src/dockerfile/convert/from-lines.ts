/**
 * FROM lines: which image a FROM names once the global ARG defaults are applied, what it
 * becomes, and the text edits of FROM and ARG lines.
 */
import type { Dockerfile, Instruction } from '../parse/index.js';
import { mapBaseImage } from './base-images.js';
import type { ConvertFlag } from './model.js';

type FromInstruction = Extract<Instruction, { kind: 'FROM' }>;

/** Offset of the shell text in a RUN instruction's source: after the keyword and `--flags`. */
export function shellStart(source: string, escapeChar: '\\' | '`'): number {
  const gap = `(?:[ \\t]|${escapeChar === '\\' ? '\\\\' : '`'}[ \\t]*\\r?\\n)+`;
  const m = new RegExp(`^\\s*[A-Za-z]+(?:${gap}--[^\\s]+)*${gap}`).exec(source);
  return m === null ? source.length : m[0].length;
}

/** `$NAME` or `${NAME}` alone: the variable's name. */
export function singleVariable(word: string): string | undefined {
  return /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/
    .exec(word)
    ?.slice(1)
    .find((s) => s !== undefined);
}

/** The FROM line with its image word replaced, or undefined when the word is not found. */
export function replaceFromImage(
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
export function replaceArgDefault(source: string, name: string, value: string): string | undefined {
  const m = new RegExp(`(^|\\s)${name}=("[^"]*"|'[^']*'|\\S*)`).exec(source);
  if (m === null) return undefined;
  const at = m.index + (m[1] ?? '').length + name.length + 1;
  return source.slice(0, at) + value + source.slice(at + (m[2] ?? '').length);
}

export interface FromConversion {
  readonly image: string;
  readonly notes: string[];
  readonly viaArg: { readonly name: string; readonly arg: Extract<Instruction, { kind: 'ARG' }> } | undefined;
}

/** The new image of one FROM, or undefined when it stays (stage name, scratch, unknown base). */
export function convertFrom(
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
