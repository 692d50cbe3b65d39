/**
 * `useradd`, `groupadd` and `usermod -aG` (shadow's tools, absent from minimal APK images) as
 * busybox's `adduser -D` and `addgroup`, which every larder/Wolfi-style dev image has.
 */
import type { CommandAction, Flag } from './package-managers.js';
import type { ShellCommand } from './shell-commands.js';
import type { ShellWord } from './shell-lex.js';

/** useradd option → busybox adduser option (`''` = no equivalent needed), or `undefined` = unsupported. */
const USERADD: Readonly<Record<string, { readonly to: string; readonly value: boolean }>> = {
  u: { to: '-u', value: true },
  uid: { to: '-u', value: true },
  g: { to: '-G', value: true },
  gid: { to: '-G', value: true },
  G: { to: 'groups', value: true },
  groups: { to: 'groups', value: true },
  s: { to: '-s', value: true },
  shell: { to: '-s', value: true },
  d: { to: '-h', value: true },
  'home-dir': { to: '-h', value: true },
  c: { to: '-g', value: true },
  comment: { to: '-g', value: true },
  k: { to: '-k', value: true },
  skel: { to: '-k', value: true },
  m: { to: '', value: false },
  'create-home': { to: '', value: false },
  M: { to: '-H', value: false },
  'no-create-home': { to: '-H', value: false },
  r: { to: '-S', value: false },
  system: { to: '-S', value: false },
  N: { to: '', value: false },
  'no-user-group': { to: '', value: false },
  U: { to: '', value: false },
  'user-group': { to: '', value: false },
  l: { to: '', value: false },
  'no-log-init': { to: '', value: false },
  o: { to: '', value: false },
  'non-unique': { to: '', value: false },
};

const GROUPADD: Readonly<Record<string, { readonly to: string; readonly value: boolean }>> = {
  g: { to: '-g', value: true },
  gid: { to: '-g', value: true },
  r: { to: '-S', value: false },
  system: { to: '-S', value: false },
  f: { to: '', value: false },
  force: { to: '', value: false },
  o: { to: '', value: false },
  'non-unique': { to: '', value: false },
};

/** usermod: only adding supplementary groups has a busybox form (`addgroup USER GROUP`). */
const USERMOD: Readonly<Record<string, { readonly to: string; readonly value: boolean }>> = {
  a: { to: '', value: false },
  append: { to: '', value: false },
  G: { to: 'groups', value: true },
  groups: { to: 'groups', value: true },
};

const TABLES = { useradd: USERADD, groupadd: GROUPADD, usermod: USERMOD } as const;

interface ParsedOptions {
  readonly options: ReadonlyArray<{ readonly to: string; readonly value: string | undefined }>;
  readonly operands: readonly string[];
}

/** Reads `-abc`, `-u 1000`, `-u1000`, `--uid 1000`, `--uid=1000`; undefined on an unknown option. */
function parseOptions(
  words: readonly ShellWord[],
  table: typeof USERADD,
): ParsedOptions | { readonly unknown: ShellWord } {
  const options: { to: string; value: string | undefined }[] = [];
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as ShellWord;
    const v = w.value ?? '';
    if (w.value !== undefined && v.startsWith('--')) {
      const [name = '', inline] = v.slice(2).split(/=(.*)/s);
      const spec = table[name];
      if (spec === undefined) return { unknown: w };
      const value = spec.value ? (inline !== undefined ? inline : words[++i]?.raw) : undefined;
      if (spec.value && value === undefined) return { unknown: w };
      options.push({ to: spec.to, value });
    } else if (w.value !== undefined && v.startsWith('-') && v.length > 1) {
      for (let k = 1; k < v.length; k++) {
        const spec = table[v[k] ?? ''];
        if (spec === undefined) return { unknown: w };
        if (!spec.value) {
          options.push({ to: spec.to, value: undefined });
          continue;
        }
        const value = k + 1 < v.length ? v.slice(k + 1) : words[++i]?.raw;
        if (value === undefined) return { unknown: w };
        options.push({ to: spec.to, value });
        break;
      }
    } else {
      operands.push(w.raw);
    }
  }
  return { options, operands };
}

/** The busybox form of a `useradd`/`groupadd`/`usermod -aG` command, or undefined for other commands. */
export function userCommandAction(command: ShellCommand): CommandAction | undefined {
  const first = command.tokens[0];
  if (first?.kind !== 'word' || first.value === undefined || !Object.hasOwn(TABLES, first.value))
    return undefined;
  const tool = first.value as keyof typeof TABLES;
  const rest = command.tokens.slice(1);
  const words = rest.filter((t): t is ShellWord => t.kind === 'word');
  const flag = (message: string): CommandAction => {
    const flags: Flag[] = [{ offset: first.start, message }];
    return { kind: 'keep', flags };
  };
  if (words.length !== rest.length) return flag(`${first.value} with a redirection kept as written`);
  const parsed = parseOptions(words, TABLES[tool]);
  if ('unknown' in parsed)
    return flag(`${first.value} option ${parsed.unknown.raw} has no busybox equivalent; kept as written`);
  const [name, ...extra] = parsed.operands;
  if (name === undefined || extra.length > 0)
    return flag(`${first.value}: expected one name; kept as written`);

  const args: string[] = [];
  const groups: string[] = [];
  for (const o of parsed.options) {
    if (o.to === 'groups') groups.push(...(o.value ?? '').split(',').filter((g) => g !== ''));
    else if (o.to !== '') args.push(o.value === undefined ? o.to : `${o.to} ${o.value}`);
  }
  const joins = groups.map((g) => `addgroup ${name} ${g}`);
  if (tool === 'usermod' && joins.length === 0) return flag('usermod without -G: kept as written');
  const text =
    tool === 'useradd'
      ? [`adduser -D ${[...args, name].join(' ')}`, ...joins].join(' && ')
      : tool === 'groupadd'
        ? `addgroup ${[...args, name].join(' ')}`
        : joins.join(' && ');
  return {
    kind: 'rewrite',
    edits: [{ start: command.start, end: command.end, text }],
    flags: [],
    packages: [],
    installs: false,
  };
}
