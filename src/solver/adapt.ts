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

function parseAll<T>(
  record: PackageRecord,
  field: string,
  texts: readonly string[],
  parse: (t: string) => T,
): T[] {
  return texts.map((text) => {
    try {
      return parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new LarderError(
        'DEPENDENCY_INVALID',
        `${record.name}-${record.version}: ${field} '${text}' does not parse: ${why}`,
        { cause: err },
      );
    }
  });
}

/**
 * Converts an APKINDEX record. A record without `C:` gets the identity `name-version` (apk would
 * treat all checksum-less records as one package, which no real index has).
 * @throws LarderError `DEPENDENCY_INVALID` naming the package and the string that did not parse.
 */
export function fromIndexRecord(record: PackageRecord): SolverPackage {
  const depends: Dependency[] = parseAll(record, 'D:', record.depends, parseDependency);
  const provides: Provide[] = parseAll(record, 'p:', record.provides, parseProvide);
  const installIf: Dependency[] = parseAll(record, 'i:', record.installIf, parseDependency);
  return {
    name: record.name,
    version: record.version,
    checksum: record.checksum ?? `${record.name}-${record.version}`,
    depends,
    provides,
    installIf,
    providerPriority: record.providerPriority ?? 0,
    installedSize: record.installedSize ?? 0,
    ...(record.arch === undefined ? {} : { arch: record.arch }),
  };
}
