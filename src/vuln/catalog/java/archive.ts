// Java archives (catalog.md §4.5): the main package from a pom.properties that fits the file
// name, else from MANIFEST.MF and the file name; every other pom.properties as a shaded package;
// nested archives (WEB-INF/lib, BOOT-INF/lib, EAR modules) read recursively.
import { posix } from 'node:path';
import { readZipEntries, type ZipEntry } from '../../../archive/index.js';
import { formatPurl } from '../../../sbom/index.js';
import type { PackageDraft } from '../package-draft.js';
import { type JavaManifest, manifestField, parseJavaManifest, parsePomProperties } from './manifest.js';

/** Extensions syft treats as Java archives. */
export const JAVA_ARCHIVE = /\.(jar|war|ear|par|sar|nar|jpi|hpi|kar|far|lpkg|rar|zap)$/i;
const MAX_DEPTH = 4;
const MAX_MEMBER = 256 * 1024 * 1024;

/** Options of {@link javaPackages}. */
export interface JavaArchiveOptions {
  /** Problems with nested archives (the outer one still counts). */
  readonly warn?: (message: string) => void;
  /** Nesting level of this archive; 0 for a file of the target. */
  readonly depth?: number;
}

interface PomIdentity {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly dir: string;
  readonly withPomXml: boolean;
}

/**
 * The packages in a Java archive held in memory, found at `location` (for nested archives,
 * `outer.war:WEB-INF/lib/x.jar`). New Relic `Weave-Classes` jars, which impersonate the jars they
 * instrument, give nothing.
 * @throws LarderError ZIP_INVALID when this archive (not a nested one) is corrupt.
 */
export function javaPackages(
  data: Buffer,
  location: string,
  options: JavaArchiveOptions = {},
): PackageDraft[] {
  const depth = options.depth ?? 0;
  const entries = readZipEntries(data, location, { maxEntrySize: MAX_MEMBER });
  const byName = new Map(entries.map((e) => [e.name, e]));
  const manifestEntry = byName.get('META-INF/MANIFEST.MF');
  const manifest =
    manifestEntry === undefined ? undefined : parseJavaManifest(manifestEntry.data().toString('utf8'));
  if (manifest?.main.has('Weave-Classes')) return [];

  const poms = pomIdentities(entries, byName);
  const file = fileNameParts(location.slice(location.lastIndexOf(':') + 1));
  const mainPom = pickMainPom(poms, file.name);
  const out: PackageDraft[] = [];
  const seen = new Set<string>();
  const push = (groupId: string, artifactId: string, version: string): void => {
    const key = `${groupId}:${artifactId}@${version}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(mavenDraft(groupId, artifactId, version, location));
  };
  if (mainPom !== undefined) push(mainPom.groupId, mainPom.artifactId, mainPom.version);
  else {
    const fromManifest = manifest === undefined ? undefined : manifestIdentity(manifest, file);
    const artifactId = fromManifest?.artifactId ?? file.name;
    const version = fromManifest?.version ?? file.version;
    if (artifactId !== '' && version !== undefined && version !== '') {
      push(fromManifest?.groupId ?? artifactId, artifactId, version);
    }
  }
  for (const pom of poms) push(pom.groupId, pom.artifactId, pom.version);

  if (depth < MAX_DEPTH) {
    for (const entry of entries) {
      if (entry.isDirectory || !JAVA_ARCHIVE.test(entry.name)) continue;
      const inner = `${location}:${entry.name}`;
      try {
        out.push(...javaPackages(entry.data(), inner, { ...options, depth: depth + 1 }));
      } catch (err) {
        const message = (err as Error).message;
        options.warn?.(`skipped ${message.startsWith(inner) ? message : `${inner}: ${message}`}`);
      }
    }
  }
  return out;
}

function mavenDraft(groupId: string, artifactId: string, version: string, location: string): PackageDraft {
  return {
    ecosystem: 'maven',
    name: `${groupId}:${artifactId}`,
    version,
    purl: formatPurl({ type: 'maven', namespace: groupId, name: artifactId, version }),
    locations: [location],
    evidence: 'java-archive',
  };
}

function pomIdentities(entries: readonly ZipEntry[], byName: ReadonlyMap<string, ZipEntry>): PomIdentity[] {
  const out: PomIdentity[] = [];
  for (const entry of entries) {
    if (entry.isDirectory || !entry.name.endsWith('pom.properties')) continue;
    const props = parsePomProperties(entry.data().toString('utf8'));
    const artifactId = props.get('artifactId') ?? '';
    const version = props.get('version') ?? '';
    if (artifactId === '' || version === '') continue;
    const dir = posix.dirname(entry.name);
    // No groupId: the artifactId stands in for it (syft's rule; a dotted one is a group anyway).
    const groupId = props.get('groupId') || artifactId;
    out.push({ groupId, artifactId, version, dir, withPomXml: byName.has(`${dir}/pom.xml`) });
  }
  return out;
}

/** The pom.properties whose artifactId fits the archive's name: exact, else prefix or suffix. */
function pickMainPom(poms: readonly PomIdentity[], baseName: string): PomIdentity | undefined {
  const rank = (p: PomIdentity): number => {
    if (p.artifactId === baseName) return p.withPomXml ? 0 : 1;
    if (baseName.startsWith(p.artifactId) || baseName.endsWith(p.artifactId)) return p.withPomXml ? 2 : 3;
    return 4;
  };
  let best: PomIdentity | undefined;
  for (const p of poms) if (rank(p) < 4 && (best === undefined || rank(p) < rank(best))) best = p;
  return best;
}

/** A file name split as syft does: `commons-text-1.10.0.jar` → `commons-text`, `1.10.0`. */
export function fileNameParts(path: string): { name: string; version?: string } {
  const base = posix.basename(path).replace(JAVA_ARCHIVE, '');
  const m = /^(.+?)-(\d.*|build\d+.*|rc?\d+.*)$/.exec(base);
  if (m === null) return { name: lastSegment(base) };
  return { name: lastSegment(m[1]!), version: m[2]! };
}

// A dotted all-identifier name keeps its last segment, except org.eclipse.* bundles.
function lastSegment(name: string): string {
  if (name.startsWith('org.eclipse.') || !/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+$/.test(name)) return name;
  return name.slice(name.lastIndexOf('.') + 1);
}

const GROUP_FIELDS = [
  'Group-Id',
  'Bundle-SymbolicName',
  'Extension-Name',
  'Specification-Vendor',
  'Implementation-Vendor',
  'Implementation-Vendor-Id',
  'Implementation-Title',
  'Bundle-Activator',
  'Automatic-Module-Name',
  'Main-Class',
  'Package',
];
const CLASS_FIELDS = new Set(['Bundle-Activator', 'Main-Class']);
const REVERSE_DNS =
  /^(com|org|net|io|edu|gov|de|ch|uk|eu|fr|nl|jp|me|dev|info|biz|co|us|be|at|it|se|no|fi|dk|cz|pl|ru|cn|in|au|ca|br)\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function manifestIdentity(
  manifest: JavaManifest,
  file: { name: string; version?: string },
): { groupId?: string; artifactId: string; version?: string } {
  const field = (key: string): string | undefined =>
    manifestField(manifest, key)?.split(';')[0]?.trim() || undefined;
  const symbolic = field('Bundle-SymbolicName');
  const artifactId =
    (symbolic === undefined ? undefined : symbolic.slice(symbolic.lastIndexOf('.') + 1)) ||
    file.name ||
    ['Name', 'Bundle-Name', 'Short-Name', 'Extension-Name', 'Implementation-Title']
      .map(field)
      .find((v) => v) ||
    '';
  const version =
    file.version ??
    ['Implementation-Version', 'Specification-Version', 'Plugin-Version', 'Bundle-Version']
      .map(field)
      .find((v) => v);
  let groupId: string | undefined;
  for (const key of GROUP_FIELDS) {
    let value = field(key);
    if (value === undefined) continue;
    if (CLASS_FIELDS.has(key)) value = value.slice(0, Math.max(0, value.lastIndexOf('.')));
    if (REVERSE_DNS.test(value)) {
      groupId = value;
      break;
    }
  }
  return {
    artifactId,
    ...(groupId === undefined ? {} : { groupId }),
    ...(version === undefined ? {} : { version }),
  };
}
