import { posix } from 'node:path';
import type { ScaFindings } from './types.js';
import { isInDir, readIfPossible, type TreeNode } from './walk.js';

/** Where a `.pc` file provides `pc:<name>`; elsewhere it is vendored. */
const PC_DIRS = [
  'usr/local/lib/pkgconfig/',
  'usr/local/share/pkgconfig/',
  'usr/lib/pkgconfig/',
  'usr/lib64/pkgconfig/',
  'usr/share/pkgconfig/',
];

/** The dependency fields of a pkg-config file that become runtime dependencies. */
export interface PkgConfigRequires {
  readonly requires: string[];
  readonly requiresPrivate: string[];
  readonly requiresInternal: string[];
}

/**
 * Parses a pkg-config file's `Requires`, `Requires.private` and `Requires.internal` into
 * module names (version constraints dropped, `${var}` expanded). A later line of the same key
 * replaces an earlier one, as in go-pkgconfig. Throws an Error naming the line when a line is
 * neither a comment, a `var=value` assignment nor a `Key: value` property.
 */
export function parsePkgConfig(text: string): PkgConfigRequires {
  const vars = new Map<string, string>();
  const expand = (v: string) => v.replace(/\$\{([^}]*)\}/g, (m, k: string) => vars.get(k) ?? m);
  const lists = {
    requires: [] as string[],
    requiresPrivate: [] as string[],
    requiresInternal: [] as string[],
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const m = /^([A-Za-z0-9_.]+)\s*([=:])\s*(.*)$/.exec(line);
    if (m === null) throw new Error(`line ${i + 1}: '${raw}' is not 'name=value' or 'Key: value'`);
    const [, key = '', sep, value = ''] = m;
    if (sep === '=') {
      vars.set(key, expand(value));
      return;
    }
    const field =
      key === 'Requires'
        ? 'requires'
        : key === 'Requires.private'
          ? 'requiresPrivate'
          : key === 'Requires.internal'
            ? 'requiresInternal'
            : undefined;
    if (field !== undefined) lists[field] = moduleNames(expand(value), i + 1);
  });
  return lists;
}

/** `a >= 1.0, b c` → `[a, b, c]`: each name may be followed by an operator and a version. */
function moduleNames(value: string, line: number): string[] {
  const toks = value.split(/[\s,]+/).filter((t) => t !== '');
  const names: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i] ?? '';
    if (!/^[A-Za-z0-9_.+-]+$/.test(tok)) throw new Error(`line ${line}: '${tok}' is not a module name`);
    names.push(tok);
    if (/^(<=|<|=|!=|>=|>)$/.test(toks[i + 1] ?? '')) {
      if (toks[i + 2] === undefined) throw new Error(`line ${line}: '${tok} ${toks[i + 1]}' has no version`);
      i += 2;
    }
  }
  return names;
}

/**
 * `generatePkgConfigDeps`: each `.pc` file that is not a symlink provides
 * `pc:<name>=<fullVersion>` (vendored outside the pkg-config dirs) and, when provided, depends
 * on `pc:<module>` for each of its requires.
 */
export async function scanPkgConfig(nodes: readonly TreeNode[], fullVersion: string, out: ScaFindings) {
  for (const n of nodes) {
    if (!n.path.endsWith('.pc') || n.kind === 'symlink') continue;
    const data = await readIfPossible(n.abs);
    if (data === undefined) continue;
    let pc: PkgConfigRequires;
    try {
      pc = parsePkgConfig(data.toString('utf8'));
    } catch (err) {
      out.warnings.push(`Unable to load .pc file (${n.path}) using pkgconfig: ${(err as Error).message}`);
      continue;
    }
    const name = posix.basename(n.path).slice(0, -3);
    if (!isInDir(n.path, PC_DIRS)) {
      out.vendored.push(`pc:${name}=${fullVersion}`);
      continue;
    }
    out.provides.push(`pc:${name}=${fullVersion}`);
    for (const dep of [...pc.requires, ...pc.requiresPrivate, ...pc.requiresInternal])
      out.runtime.push(`pc:${dep}`);
  }
}
