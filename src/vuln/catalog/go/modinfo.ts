// The modinfo text inside Go build info (Go's runtime/debug.ParseBuildInfo; catalog.md §3.2):
// newline-terminated, TAB-separated lines `path`, `mod`, `dep`, `=>` (replaces the module on the
// line before) and `build key=value`.
import { LarderError } from '../../../core/index.js';

/** A module as the build info lists it. */
export interface GoModule {
  readonly path: string;
  readonly version: string;
  /** `h1:` checksum, when recorded. */
  readonly sum?: string;
  /** The `=>` line after it: a local directory (`../x`, version often `(devel)`) or another module. */
  readonly replace?: GoModule;
}

/** Parsed modinfo. */
export interface GoModInfo {
  /** The `go` line (Go ≥ 1.18 omits it: the blob header carries the version). */
  readonly goVersion?: string;
  /** Import path of the main package. */
  readonly path?: string;
  readonly main?: GoModule;
  readonly deps: readonly GoModule[];
  /** `build` settings in order (`-ldflags`, `GOARCH`, `vcs.revision`, ...). */
  readonly settings: ReadonlyArray<readonly [string, string]>;
}

/**
 * Parses modinfo text. Lines Go does not know, and malformed `build` lines, are skipped; a
 * module line without 2 or 3 columns, or a `=>` line that does not follow a module or has not
 * exactly 3 columns, invalidates the whole text, as in Go.
 * @throws LarderError BINARY_INVALID naming `name` and the line number.
 */
export function parseGoModInfo(text: string, name = 'binary'): GoModInfo {
  let goVersion: string | undefined;
  let path: string | undefined;
  let main: GoModule | undefined;
  const deps: GoModule[] = [];
  const settings: Array<[string, string]> = [];
  // The module a `=>` line would replace: 'main', a deps index, or none.
  let last: 'main' | number | undefined;
  const lines = text.split('\n');
  lines.pop(); // a final line without a newline is ignored, as Go does
  lines.forEach((line, i) => {
    const fail = (why: string): never => {
      throw new LarderError('BINARY_INVALID', `${name}: Go build info line ${i + 1}: ${why}`, {
        subject: name,
      });
    };
    const tab = line.indexOf('\t');
    const key = tab < 0 ? line : line.slice(0, tab);
    const rest = tab < 0 ? '' : line.slice(tab + 1);
    if (tab < 0) return;
    switch (key) {
      case 'go':
        goVersion = rest;
        return;
      case 'path':
        path = rest;
        return;
      case 'mod':
      case 'dep': {
        const mod = moduleLine(rest.split('\t'), fail);
        if (key === 'mod') {
          main = mod;
          last = 'main';
        } else {
          deps.push(mod);
          last = deps.length - 1;
        }
        return;
      }
      case '=>': {
        const cols = rest.split('\t');
        if (cols.length !== 3) fail(`expected 3 columns for a replacement, got ${cols.length}`);
        if (last === undefined) fail('replacement with no module on the line before');
        const replace: GoModule = { path: cols[0]!, version: cols[1]!, ...(cols[2] ? { sum: cols[2] } : {}) };
        if (last === 'main') main = { ...main!, replace };
        else deps[last as number] = { ...deps[last as number]!, replace };
        last = undefined;
        return;
      }
      case 'build': {
        const setting = buildSetting(rest);
        if (setting !== undefined) settings.push(setting);
        return;
      }
      default:
        return;
    }
  });
  return {
    ...(goVersion === undefined ? {} : { goVersion }),
    ...(path === undefined ? {} : { path }),
    ...(main === undefined ? {} : { main }),
    deps,
    settings,
  };
}

function moduleLine(cols: string[], fail: (why: string) => never): GoModule {
  if (cols.length !== 2 && cols.length !== 3)
    fail(`expected 2 or 3 columns for a module, got ${cols.length}`);
  const sum = cols[2];
  return { path: cols[0]!, version: cols[1]!, ...(sum ? { sum } : {}) };
}

/** `key=value`, either side possibly Go-quoted; undefined when malformed. */
function buildSetting(kv: string): [string, string] | undefined {
  let key: string;
  let rawValue: string;
  if (kv.startsWith('"') || kv.startsWith('`')) {
    const end = quotedPrefix(kv);
    if (end === undefined || kv[end] !== '=') return undefined;
    key = unquote(kv.slice(0, end));
    rawValue = kv.slice(end + 1);
  } else {
    const eq = kv.indexOf('=');
    if (eq <= 0) return undefined;
    key = kv.slice(0, eq);
    rawValue = kv.slice(eq + 1);
  }
  return [key, rawValue.startsWith('"') || rawValue.startsWith('`') ? unquote(rawValue) : rawValue];
}

/** End index of a leading Go string literal, or undefined. */
function quotedPrefix(text: string): number | undefined {
  const quote = text[0];
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i + 1;
  }
  return undefined;
}

function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, literal.endsWith('`') ? -1 : undefined);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, literal.endsWith('"') ? -1 : undefined);
  }
}
