/**
 * `.PKGINFO`, the control file of an APK v2 package (formats.md §1.5): `key = value` lines,
 * `#` comments, repeated keys accumulate for list fields. Field names match the file's keys.
 */
import { LarderError } from '../core/index.js';
import {
  isKnownKey,
  isListKey,
  isNumberKey,
  keyProblem,
  type ListKey,
  listWordProblem,
  type NumberKey,
  PKGINFO_KEY_ORDER,
  scalarProblem,
  type TextKey,
} from './pkginfo-fields.js';

export { PKGINFO_KEY_ORDER } from './pkginfo-fields.js';

/** A parsed `.PKGINFO`. List fields hold one word (dependency, provide, glob) per entry. */
export interface PkgInfo {
  pkgname: string;
  pkgver: string;
  pkgdesc: string;
  url: string;
  arch: string;
  /** Installed size in bytes (not the .apk size). */
  size: number;
  origin?: string;
  maintainer?: string;
  /** Unix seconds. */
  builddate?: number;
  commit?: string;
  license?: string;
  depend: string[];
  provides: string[];
  install_if: string[];
  replaces: string[];
  provider_priority?: number;
  replaces_priority?: number;
  triggers: string[];
  /**
   * melange's `# vendored = <provide>` comments: shared objects and pkg-config files a package
   * carries outside the standard directories. Informational; apk ignores them.
   */
  vendored?: string[];
  /** Lowercase hex SHA-256 of the data member. */
  datahash?: string;
  /** Keys larder does not model (`packager`, …), in file order. */
  extra: Array<[string, string]>;
}

type Scalars = Partial<Record<TextKey, string> & Record<NumberKey, number>>;

/**
 * Parses `.PKGINFO` text. pkgname and pkgver are required; missing pkgdesc, url and arch read
 * as '' and a missing size as 0. Every problem found is reported in one
 * LarderError('PKGINFO_INVALID'), each as `line N: field 'k': value 'v' …`, prefixed by `source`.
 */
export function parsePkgInfo(text: string, source = '.PKGINFO'): PkgInfo {
  const problems: string[] = [];
  const scalars: Scalars = {};
  const lists: Record<ListKey, string[]> = {
    depend: [],
    provides: [],
    install_if: [],
    replaces: [],
    triggers: [],
  };
  const extra: Array<[string, string]> = [];
  const vendored: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.startsWith(VENDORED)) {
      const word = line.slice(VENDORED.length);
      const problem = listWordProblem('provides', word);
      if (problem === undefined) vendored.push(word);
      else problems.push(`${where}: comment 'vendored': value '${word}' ${problem}`);
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    const split = splitLine(line);
    if (split === undefined) {
      problems.push(`${where}: '${line}' is not 'key = value'`);
      return;
    }
    const [key, value] = split;
    const keyIssue = keyProblem(key);
    if (keyIssue !== undefined) {
      problems.push(`${where}: key '${key}' ${keyIssue}`);
      return;
    }
    if (!isKnownKey(key)) {
      extra.push([key, value]);
      return;
    }
    if (isListKey(key)) {
      for (const word of value.split(' ').filter((w) => w !== '')) {
        const problem = listWordProblem(key, word);
        if (problem === undefined) lists[key].push(word);
        else problems.push(`${where}: field '${key}': value '${word}' ${problem}`);
      }
      return;
    }
    const problem = scalarProblem(key, value);
    if (problem !== undefined) problems.push(`${where}: field '${key}': value '${value}' ${problem}`);
    else if (isNumberKey(key)) scalars[key] = Number(value);
    else scalars[key] = value;
  });
  for (const key of ['pkgname', 'pkgver'] as const) {
    if (scalars[key] === undefined && !problems.some((p) => p.includes(`field '${key}'`))) {
      problems.push(`field '${key}' is missing`);
    }
  }
  if (problems.length > 0) throw invalid(source, problems);
  const info = assemble(scalars, lists, extra);
  if (vendored.length > 0) info.vendored = vendored;
  return info;
}

/** The comment melange writes for each vendored provide. */
const VENDORED = '# vendored = ';

function splitLine(line: string): [string, string] | undefined {
  const at = line.indexOf(' = ');
  // Editors strip trailing blanks, turning melange's `url = ` into `url =`; read it as empty.
  if (at < 0) return line.endsWith(' =') && line.length > 2 ? [line.slice(0, -2), ''] : undefined;
  return at === 0 ? undefined : [line.slice(0, at), line.slice(at + 3)];
}

function invalid(source: string, problems: readonly string[]): LarderError {
  const body = problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`;
  return new LarderError('PKGINFO_INVALID', `${source}: ${body}`, { subject: source });
}

function assemble(s: Scalars, lists: Record<ListKey, string[]>, extra: Array<[string, string]>): PkgInfo {
  const info: PkgInfo = {
    pkgname: s.pkgname ?? '',
    pkgver: s.pkgver ?? '',
    pkgdesc: s.pkgdesc ?? '',
    url: s.url ?? '',
    arch: s.arch ?? '',
    size: s.size ?? 0,
    ...lists,
    extra,
  };
  // exactOptionalPropertyTypes: optional fields are left out, never set to undefined.
  if (s.origin !== undefined) info.origin = s.origin;
  if (s.maintainer !== undefined) info.maintainer = s.maintainer;
  if (s.builddate !== undefined) info.builddate = s.builddate;
  if (s.commit !== undefined) info.commit = s.commit;
  if (s.license !== undefined) info.license = s.license;
  if (s.provider_priority !== undefined) info.provider_priority = s.provider_priority;
  if (s.replaces_priority !== undefined) info.replaces_priority = s.replaces_priority;
  if (s.datahash !== undefined) info.datahash = s.datahash;
  return info;
}

/**
 * Writes `.PKGINFO` in melange's field order (formats.md §1.5), one line per list entry
 * (`triggers` and `install_if` as one space-separated line), unknown `extra` keys before
 * `datahash`. Throws PKGINFO_INVALID for any value parsePkgInfo would reject (including line
 * breaks, which would inject keys), so `parsePkgInfo(formatPkgInfo(x))` gives back `x`.
 */
export function formatPkgInfo(info: PkgInfo): string {
  const out: string[] = ['# Generated by larder'];
  const problems: string[] = [];
  const scalar = (key: TextKey | NumberKey, value: string | number | undefined): void => {
    if (value === undefined) return;
    const text = String(value);
    const problem = scalarProblem(key, text);
    if (problem !== undefined) problems.push(`field '${key}': value '${text}' ${problem}`);
    out.push(`${key} = ${text}`);
  };
  const list = (key: ListKey, words: readonly string[], oneLine: boolean, comment?: string): void => {
    const prefix = comment ?? `${key} = `;
    for (const word of words) {
      const problem = listWordProblem(key, word);
      const label = comment === undefined ? `field '${key}'` : "comment 'vendored'";
      if (problem !== undefined) problems.push(`${label}: value '${word}' ${problem}`);
    }
    if (oneLine) {
      if (words.length > 0) out.push(`${prefix}${words.join(' ')}`);
    } else for (const word of words) out.push(`${prefix}${word}`);
  };
  for (const key of PKGINFO_KEY_ORDER) {
    if (key === 'datahash') extras(info.extra, out, problems);
    // melange's controlTemplate: `# vendored =` comments after replaces, before provider_priority.
    if (key === 'provider_priority') list('provides', info.vendored ?? [], false, VENDORED);
    if (isListKey(key)) list(key, info[key], key === 'install_if' || key === 'triggers');
    else scalar(key, info[key]);
  }
  if (problems.length > 0)
    throw invalid(info.pkgname === '' ? '.PKGINFO' : `.PKGINFO of ${info.pkgname}`, problems);
  return `${out.join('\n')}\n`;
}

/** Unknown keys go just before `datahash`, which melange and abuild both write last. */
function extras(extra: ReadonlyArray<readonly [string, string]>, out: string[], problems: string[]): void {
  for (const [key, value] of extra) {
    let problem = keyProblem(key);
    if (problem === undefined && isKnownKey(key)) problem = 'is a known key';
    if (problem === undefined && /[\r\n]/.test(value)) problem = 'has a value with a line break';
    if (problem !== undefined) problems.push(`extra key '${key}' ${problem}`);
    out.push(`${key} = ${value}`);
  }
}
