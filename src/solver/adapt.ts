/**
 * Adapters from wire formats to the solver's own types (STYLE habit 5): APKINDEX records.
 */
import {
  type Dependency,
  type PackageRecord,
  type Provide,
  parseDependency,
  parseProvide,
} from '../apk/index.js';
import { LarderError } from '../core/index.js';
import type { SolverPackage } from './types.js';

/**
 * Parsed dependency strings by text, shared across the records of one conversion. A real index
 * repeats a few thousand strings (`so:libc.musl-aarch64.so.1`) over ~15,000 `D:` and `i:`
 * entries, so most parses become one lookup, and the repeated names stay one string each.
 * The cached objects are shared between packages; nothing in the solver mutates them.
 */
type DependencyCache = Map<string, Dependency>;

function parseFailure(record: PackageRecord, field: string, text: string, err: unknown): LarderError {
  const why = err instanceof Error ? err.message : String(err);
  return new LarderError(
    'DEPENDENCY_INVALID',
    `${record.name}-${record.version}: ${field} '${text}' does not parse: ${why}`,
    { cause: err },
  );
}

function parseDependencies(
  record: PackageRecord,
  field: string,
  texts: readonly string[],
  cache: DependencyCache | undefined,
): Dependency[] {
  if (texts.length === 0) return [];
  // Sized up front: a push onto [] reserves 17 slots, for lists of two or three entries.
  const out = new Array<Dependency>(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    let dep = cache?.get(text);
    if (dep === undefined) {
      try {
        dep = parseDependency(text);
      } catch (err) {
        throw parseFailure(record, field, text, err);
      }
      cache?.set(text, dep);
    }
    out[i] = dep;
  }
  return out;
}

// Provides are not cached: almost every one is unique (`so:libfoo.so.1=1.2.3`).
function parseProvides(record: PackageRecord, texts: readonly string[]): Provide[] {
  if (texts.length === 0) return [];
  const out = new Array<Provide>(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i]!;
    try {
      out[i] = parseProvide(text);
    } catch (err) {
      throw parseFailure(record, 'p:', text, err);
    }
  }
  return out;
}

/**
 * Converts an APKINDEX record. A record without `C:` gets the identity `name-version` (apk would
 * treat all checksum-less records as one package, which no real index has). For a whole index,
 * {@link fromIndexRecords} is faster.
 * @throws LarderError `DEPENDENCY_INVALID` naming the package and the string that did not parse.
 */
export function fromIndexRecord(record: PackageRecord): SolverPackage {
  return convert(record, undefined);
}

/**
 * Converts the records of one or more indexes, parsing each distinct dependency string once:
 * the same result as mapping {@link fromIndexRecord}, faster on real indexes.
 * @throws LarderError `DEPENDENCY_INVALID` as {@link fromIndexRecord}.
 */
export function fromIndexRecords(records: readonly PackageRecord[]): SolverPackage[] {
  const cache: DependencyCache = new Map();
  const out: SolverPackage[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) out[i] = convert(records[i]!, cache);
  return out;
}

function convert(record: PackageRecord, cache: DependencyCache | undefined): SolverPackage {
  const pkg: { -readonly [K in keyof SolverPackage]: SolverPackage[K] } = {
    name: record.name,
    version: record.version,
    checksum: record.checksum ?? `${record.name}-${record.version}`,
    depends: parseDependencies(record, 'D:', record.depends, cache),
    provides: parseProvides(record, record.provides),
    installIf: parseDependencies(record, 'i:', record.installIf, cache),
    providerPriority: record.providerPriority ?? 0,
    installedSize: record.installedSize ?? 0,
  };
  if (record.arch !== undefined) pkg.arch = record.arch;
  return pkg;
}
