/**
 * The package-manager commands the converter understands — apt-get/apt/aptitude, yum, dnf and
 * microdnf, apk — and how each of their subcommands becomes `apk add --no-cache` or `apk del`,
 * or goes away (index refreshes, upgrades, cache cleanup). What it cannot read it keeps as
 * written and flags.
 */
import { APK, MANAGERS, packageName, plainPackage } from './managers.js';
import { mapPackage, type PackageFamily } from './package-map.js';
import { removeWords, type ShellCommand, type TextEdit } from './shell-commands.js';
import type { ShellWord } from './shell-lex.js';

/** A problem a human must look at, at an offset of the instruction text. */
export interface Flag {
  readonly offset: number;
  readonly message: string;
}

/** One package name the converter rewrote. */
export interface MappedPackage {
  readonly family: PackageFamily;
  readonly from: string;
  readonly to: readonly string[];
}

/** What to do with one command. */
export type CommandAction =
  | { readonly kind: 'keep'; readonly flags: readonly Flag[] }
  | { readonly kind: 'drop'; readonly reason: string }
  | {
      readonly kind: 'rewrite';
      readonly edits: readonly TextEdit[];
      readonly flags: readonly Flag[];
      readonly packages: readonly MappedPackage[];
      /** The result installs packages (`apk add`). */
      readonly installs: boolean;
    };

/** Environment assignments that only steer Debian's tools. */
const APT_ENV = /^(DEBIAN_FRONTEND|DEBCONF_[A-Z_]+|APT_[A-Z_]+|ACCEPT_EULA)=/;

/** Reads `command` as a package-manager call and says what becomes of it; undefined if it is none. */
export function packageManagerAction(command: ShellCommand): CommandAction | undefined {
  const tokens = command.tokens;
  const remove = new Set<number>();
  let at = 0;
  for (; at < tokens.length; at++) {
    const t = tokens[at];
    if (t?.kind !== 'word' || t.value === undefined) return undefined;
    if (APT_ENV.test(t.value)) remove.add(at);
    else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(t.value)) continue;
    else if (t.value === 'sudo') remove.add(at);
    else break;
  }
  const nameWord = tokens[at];
  if (nameWord?.kind !== 'word' || nameWord.value === undefined) return undefined;
  const manager = MANAGERS[nameWord.value];
  if (manager === undefined) return undefined;

  const flags: Flag[] = [];
  const options: { index: number; value: string; argument: ShellWord | undefined }[] = [];
  const operands: number[] = [];
  let subcommand: number | undefined;
  let tail = false;
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    if (t.kind === 'redirect' || tail) {
      // A redirection and what follows stay as written.
      tail = true;
      continue;
    }
    const v = t.value;
    if (v?.startsWith('-') && v.length > 1) {
      const next = tokens[i + 1];
      const argument = manager.optionsWithValue.has(v) && next?.kind === 'word' ? next : undefined;
      options.push({ index: i, value: v, argument });
      remove.add(i);
      if (argument !== undefined) remove.add(++i);
    } else if (subcommand === undefined) {
      if (v === undefined) {
        return {
          kind: 'keep',
          flags: [{ offset: t.start, message: `cannot read ${nameWord.value} subcommand ${t.raw}` }],
        };
      }
      subcommand = i;
    } else {
      operands.push(i);
    }
  }
  const sub = subcommand === undefined ? undefined : (tokens[subcommand] as ShellWord);
  const subName = sub?.value;
  if (sub === undefined || subName === undefined) return undefined;
  if (manager.drop.has(subName)) return { kind: 'drop', reason: `${nameWord.value} ${subName}` };
  const installing = manager.install.has(subName);
  // `dnf group install`, `yum groupinstall`, `dnf module enable`, `apt-get source`: no equivalent.
  if (!installing && !manager.remove.has(subName)) {
    if (manager === APK) return { kind: 'keep', flags: [] };
    return {
      kind: 'keep',
      flags: [
        { offset: sub.start, message: `${nameWord.value} ${subName} has no apk equivalent; kept as written` },
      ],
    };
  }

  // apk's own options that still mean something: --virtual NAME (for a later `apk del NAME`).
  const keptOptions: string[] = [];
  for (const o of options) {
    if (manager === APK && (o.value === '-t' || o.value === '--virtual') && o.argument !== undefined) {
      keptOptions.push(`--virtual ${o.argument.raw}`);
    } else if (manager === APK && o.value.startsWith('--virtual=')) {
      keptOptions.push(o.value.replace('=', ' '));
    } else if (o.value === '-X' || o.value === '--repository' || o.value.startsWith('--repository=')) {
      flags.push({
        offset: tokens[o.index]?.start ?? 0,
        message: `apk repository option ${o.value} dropped`,
      });
    }
  }

  const packages: MappedPackage[] = [];
  const edits: TextEdit[] = [];
  const seen = new Set<string>();
  let kept = 0;
  for (const i of operands) {
    const t = tokens[i] as ShellWord;
    if (t.value === undefined) {
      flags.push({
        offset: t.start,
        message: `cannot map ${t.raw}: it expands at build time; kept as written`,
      });
      kept++;
      continue;
    }
    const name = packageName(manager.family, t.value);
    if (manager === APK && name.startsWith('.')) {
      // A virtual package named by `apk add --virtual`.
      kept++;
      continue;
    }
    const mapped = plainPackage(name) ? mapPackage(manager.family, name) : undefined;
    if (mapped === undefined) {
      flags.push({ offset: t.start, message: `no APK mapping for ${manager.family} package "${t.value}"` });
      kept++;
      continue;
    }
    if (name !== t.value) flags.push({ offset: t.start, message: `version pin "${t.value}" dropped` });
    const fresh = mapped.filter((m) => !seen.has(m));
    for (const m of fresh) seen.add(m);
    packages.push({ family: manager.family, from: name, to: mapped });
    if (fresh.length === 0) remove.add(i);
    else {
      kept++;
      const text = fresh.join(' ');
      if (text !== t.raw) edits.push({ start: t.start, end: t.end, text });
    }
  }
  if (kept === 0) return { kind: 'drop', reason: `${nameWord.value} ${subName}: nothing left to install` };

  const head = [installing ? 'apk add --no-cache' : 'apk del', ...keptOptions].join(' ');
  remove.delete(subcommand ?? -1);
  const headEdit: TextEdit = { start: nameWord.start, end: sub.end, text: head };
  // Options between the name and the subcommand go with the head replacement.
  const before = new Set([...remove].filter((i) => i > at && i < (subcommand ?? 0)));
  const rest = new Set([...remove].filter((i) => !before.has(i)));
  edits.push(headEdit, ...removeWords(tokens, rest));
  return { kind: 'rewrite', edits, flags, packages, installs: installing };
}
