// Maven's ComparableVersion (maven-artifact 3.9): a version is a list of items split at `.`,
// `-` and digit/letter changes; `-` (and a change after digits) opens a sub-list. Integers rank
// above qualifiers; qualifiers order `alpha < beta < milestone < rc = cr < snapshot < "" = ga =
// final = release < sp < other (lexically)`; trailing zero/empty items are dropped, so
// `1.0 = 1`, `1-ga = 1`, `1.0.Final = 1`. A trailing `.jreNN`/`.jdkNN` build tag is ignored (as
// grype does). Any non-empty string is a version. Like Maven's, the order is not transitive
// once a qualifier is followed by `.` (`9.2.a.1 < 9.2rc < 9.2 < 9.2.a.1`): real versions avoid it.
import {
  compareDigits,
  compareText,
  invalidVersion,
  stripZeros,
  type VersionOrder,
} from './version-order.js';

type Item =
  | { readonly kind: 'int'; readonly digits: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'list'; readonly items: Item[] };

/** A parsed Maven version: the top-level item list. */
export interface MavenVersion {
  readonly items: readonly Item[];
}

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Readonly<Record<string, string>> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

function stringItem(text: string, followedByDigit: boolean): Item {
  let value = text;
  if (followedByDigit && value.length === 1) {
    value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  }
  return { kind: 'string', value: ALIASES[value] ?? value };
}

function numberItem(text: string): Item {
  return { kind: 'int', digits: stripZeros(text) };
}

/** The sortable form of a qualifier: its index among the known ones, else `7-<text>`. */
function comparableQualifier(value: string): string {
  const i = QUALIFIERS.indexOf(value);
  return i >= 0 ? String(i) : `${QUALIFIERS.length}-${value}`;
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.digits === '0';
  if (item.kind === 'string') return comparableQualifier(item.value) === RELEASE_INDEX;
  return item.items.length === 0;
}

/** Drops trailing null items (0, "", empty lists), stopping at the first non-list non-null item. */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (isNull(item)) list.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

/** Parses a Maven version; throws VERSION_INVALID only for an empty string. */
// One pass over the characters, as ComparableVersion.parseVersion; splitting it would scatter
// the list-opening rules that the ordering depends on.
export function parseMavenVersion(raw: string): MavenVersion {
  const version = raw
    .trim()
    .toLowerCase()
    .replace(/[.-](?:jre|jdk)[0-9]+$/, '');
  if (version === '') throw invalidVersion('maven', raw, 'empty');
  const top: Item[] = [];
  const lists: Item[][] = [top];
  let list = top;
  let isDigit = false;
  let start = 0;
  const open = (): void => {
    const sub: Item[] = [];
    list.push({ kind: 'list', items: sub });
    lists.push(sub);
    list = sub;
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i] as string;
    if (c === '.' || c === '-') {
      if (i === start) list.push({ kind: 'int', digits: '0' });
      else
        list.push(isDigit ? numberItem(version.slice(start, i)) : stringItem(version.slice(start, i), false));
      start = i + 1;
      if (c === '-') open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // Maven 3.9 (MNG-7644): a qualifier after `.` reads as after `-` (1.0.0.X1 < 1.0.0-X2).
        if (list.length > 0) open();
        list.push(stringItem(version.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(numberItem(version.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (version.length > start) {
    if (!isDigit && list.length > 0) open();
    list.push(isDigit ? numberItem(version.slice(start)) : stringItem(version.slice(start), false));
  }
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i]!);
  return { items: top };
}

/** ComparableVersion's Item.compareTo; `b` undefined stands for a missing item. */
function compareItem(a: Item, b: Item | undefined): number {
  if (a.kind === 'int') {
    if (b === undefined) return a.digits === '0' ? 0 : 1;
    return b.kind === 'int' ? compareDigits(a.digits, b.digits) : 1;
  }
  if (a.kind === 'string') {
    if (b === undefined) return compareText(comparableQualifier(a.value), RELEASE_INDEX);
    if (b.kind !== 'string') return -1;
    return compareText(comparableQualifier(a.value), comparableQualifier(b.value));
  }
  if (b === undefined) {
    for (const item of a.items) {
      const c = compareItem(item, undefined);
      if (c !== 0) return c;
    }
    return 0;
  }
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  return compareLists(a.items, b.items);
}

function compareLists(a: readonly Item[], b: readonly Item[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    const c = x === undefined ? (y === undefined ? 0 : -compareItem(y, undefined)) : compareItem(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** Maven ComparableVersion ordering. */
export function compareMavenVersions(a: MavenVersion, b: MavenVersion): number {
  return compareLists(a.items, b.items);
}

/** The Maven order. */
export const mavenOrder: VersionOrder<MavenVersion> = {
  name: 'maven',
  parse: parseMavenVersion,
  compare: compareMavenVersions,
};
