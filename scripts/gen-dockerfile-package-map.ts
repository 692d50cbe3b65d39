// Writes src/dockerfile/convert/package-map.json: the Debian/Ubuntu, Fedora/RHEL and Alpine
// package names `larder docker convert` maps to APK names.
//
// Sources:
// - Debian: every binary package `apt-cache dumpavail` lists (bookworm here), with its `Source:`
//   and `Homepage:` fields.
// - Alpine: the real Alpine 3.17 main index (../shared/fixtures/index/alpine-317-aarch64), with
//   each package's origin (`o:`) and URL (`U:`).
// - scripts/dockerfile-package-map/overrides.ts: hand-written names no rule finds, and the Fedora
//   seed list (no Fedora package list is reachable here).
//
// Derivation: for every Debian package, candidate APK names come from rename rules (the same
// name; `libX-dev` → `X-dev`; `python3-X` → `py3-X`; `libX-dev` with a version digit dropped).
// A candidate is accepted only when the Alpine index has it AND the two describe the same
// project: equal homepages (scheme, `www.` and trailing `/` ignored; one may be a path prefix of
// the other except on shared hosting sites such as github.com) or the Debian source package is
// the Alpine origin. Overrides win over derived entries. Every target must be in the Alpine
// index (or in the short, documented COMMUNITY list); the script fails otherwise.
//   node --import tsx scripts/gen-dockerfile-package-map.ts [--alpine-index FILE] [--check]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseApkIndexText } from '../src/apk/index.js';
import { ALPINE, COMMUNITY, DEBIAN, FEDORA } from './dockerfile-package-map/overrides.js';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'src', 'dockerfile', 'convert', 'package-map.json');
const DEFAULT_INDEX = join(
  ROOT,
  '..',
  'shared',
  'fixtures',
  'index',
  'alpine-317-aarch64',
  'APKINDEX.tar.gz',
);

/** Sites that host many projects: a bare host there says nothing about which project. */
const SHARED_HOSTS = new Set([
  'github.com',
  'gitlab.com',
  'sourceforge.net',
  'pypi.org',
  'pypi.python.org',
  'bitbucket.org',
  'codeberg.org',
  'launchpad.net',
  'savannah.gnu.org',
  'savannah.nongnu.org',
  'gnu.org',
  'nongnu.org',
  'kernel.org',
  'git.kernel.org',
  'freedesktop.org',
  'gitlab.freedesktop.org',
  'gitlab.gnome.org',
  'gnome.org',
  'kde.org',
  'metacpan.org',
  'search.cpan.org',
  'rubygems.org',
  'hackage.haskell.org',
  'crates.io',
  'npmjs.com',
  'salsa.debian.org',
  'pagure.io',
  'sr.ht',
  'git.sr.ht',
  'packages.debian.org',
  'wiki.debian.org',
  'debian.org',
  'alpinelinux.org',
]);

interface AlpinePackage {
  readonly origin: string;
  readonly url: string | undefined;
}

interface DebianPackage {
  readonly name: string;
  readonly source: string;
  readonly homepage: string | undefined;
}

/** `[host, ...path segments]`, lower-cased, without scheme, `www.`, query or trailing `/`. */
function homepageKey(url: string): string[] {
  const bare = url
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[?#].*$/, '')
    .replace(/\.git$/, '');
  const [host = '', ...path] = bare.split('/').filter((s) => s !== '');
  return [host.replace(/^www\./, ''), ...path];
}

function sameHomepage(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = homepageKey(a);
  const y = homepageKey(b);
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length === 0 || short[0] === '') return false;
  if (!short.every((seg, i) => seg === long[i])) return false;
  // A prefix match on a hosting site's bare host would match every project there.
  return short.length === long.length || short.length > 1 || !SHARED_HOSTS.has(short[0] ?? '');
}

function readAlpine(file: string): Map<string, AlpinePackage> {
  const text = execFileSync('tar', ['-xzOf', file, 'APKINDEX'], { maxBuffer: 64 << 20 }).toString('utf8');
  const out = new Map<string, AlpinePackage>();
  for (const r of parseApkIndexText(text, file)) out.set(r.name, { origin: r.origin ?? r.name, url: r.url });
  return out;
}

function readDebian(): DebianPackage[] {
  const text = execFileSync('apt-cache', ['dumpavail'], { maxBuffer: 1 << 30 }).toString('utf8');
  const seen = new Map<string, DebianPackage>();
  for (const stanza of text.split(/\n\n+/)) {
    const field = (name: string): string | undefined =>
      new RegExp(`^${name}: *(.*)$`, 'm').exec(stanza)?.[1]?.trim();
    const name = field('Package');
    if (name === undefined || seen.has(name)) continue;
    const source = (field('Source') ?? name).replace(/\s*\(.*\)$/, '');
    seen.set(name, { name, source, homepage: field('Homepage') });
  }
  return [...seen.values()];
}

/** APK names a Debian name may have under Alpine's naming habits, most likely first. */
function candidates(name: string): string[] {
  const out = [name];
  const dev = /^lib(.+)-dev$/.exec(name);
  if (dev !== null) {
    const stem = dev[1] ?? '';
    out.push(`${stem}-dev`);
    const unversioned = stem.replace(/[-.]?\d+(\.\d+)*$/, '');
    if (unversioned !== stem && unversioned !== '') out.push(`lib${unversioned}-dev`, `${unversioned}-dev`);
  }
  const py = /^python3-(.+)$/.exec(name);
  if (py !== null) out.push(`py3-${py[1] ?? ''}`);
  return out;
}

function derive(
  debian: readonly DebianPackage[],
  alpine: ReadonlyMap<string, AlpinePackage>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const deb of debian) {
    for (const candidate of candidates(deb.name)) {
      const apk = alpine.get(candidate);
      if (apk === undefined) continue;
      if (sameHomepage(deb.homepage, apk.url) || deb.source === apk.origin) {
        out.set(deb.name, [candidate]);
        break;
      }
    }
  }
  return out;
}

function fedoraByRule(name: string, alpine: ReadonlyMap<string, AlpinePackage>): string[] | undefined {
  const tries = [name, name.replace(/-devel$/, '-dev'), name.replace(/^python3-/, 'py3-')];
  const hit = tries.find((t) => alpine.has(t));
  return hit === undefined ? undefined : [hit];
}

function sortedObject(map: ReadonlyMap<string, readonly string[]>): Record<string, readonly string[]> {
  const keys = [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, map.get(k) ?? []]));
}

function main(): void {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const at = argv.indexOf('--alpine-index');
  const indexFile = at >= 0 ? (argv[at + 1] ?? '') : DEFAULT_INDEX;
  const alpine = readAlpine(indexFile);
  const community = new Set(COMMUNITY);
  const problems: string[] = [];
  const checkTargets = (table: string, from: string, targets: readonly string[]): void => {
    for (const t of targets) {
      if (!alpine.has(t) && !community.has(t))
        problems.push(`${table} ${from} → ${t}: not in the Alpine index`);
    }
  };

  for (const c of community)
    if (alpine.has(c)) problems.push(`COMMUNITY ${c}: in the Alpine main index; remove it`);
  const debian = derive(readDebian(), alpine);
  for (const [name, targets] of Object.entries(DEBIAN)) {
    checkTargets('debian', name, targets);
    debian.set(name, [...targets]);
  }
  const fedora = new Map<string, string[]>();
  for (const [name, targets] of Object.entries(FEDORA)) {
    const resolved = targets === null ? fedoraByRule(name, alpine) : [...targets];
    if (resolved === undefined) {
      problems.push(`fedora ${name}: no rule finds an Alpine package; give it an explicit target`);
      continue;
    }
    checkTargets('fedora', name, resolved);
    fedora.set(name, resolved);
  }
  const alpineRenames = new Map<string, string[]>();
  for (const [name, targets] of Object.entries(ALPINE)) {
    checkTargets('alpine', name, targets);
    alpineRenames.set(name, [...targets]);
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }

  const json = `${JSON.stringify(
    {
      comment:
        'Generated by scripts/gen-dockerfile-package-map.ts from apt-cache dumpavail (Debian bookworm), the Alpine 3.17 main index and scripts/dockerfile-package-map/overrides.ts. Do not edit.',
      community: [...community].sort(),
      debian: sortedObject(debian),
      fedora: sortedObject(fedora),
      alpine: sortedObject(alpineRenames),
    },
    null,
    1,
  )}\n`;
  if (check) {
    if (readFileSync(OUT, 'utf8') !== json) {
      console.error(`${OUT} is stale: run node --import tsx scripts/gen-dockerfile-package-map.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUT, json);
  console.error(
    `wrote ${OUT}: ${debian.size} Debian, ${fedora.size} Fedora, ${alpineRenames.size} Alpine names`,
  );
}

main();
