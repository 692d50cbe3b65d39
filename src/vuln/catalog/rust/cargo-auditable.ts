// Rust binaries built with cargo-auditable (catalog.md §4.1): section `.dep-v0` (rust-audit 0.1:
// `.rust-deps-v0`) holds a zlib stream of JSON `{"packages":[{name, version, source, kind,
// dependencies, root}]}`.
import { inflateSync } from 'node:zlib';
import { LarderError } from '../../../core/index.js';
import { formatPurl } from '../../../sbom/index.js';
import { elfSectionData, isElf, readElf } from '../binary/elf.js';
import type { PackageDraft } from '../package-draft.js';

/** One crate of the audit data, as recorded. */
export interface CargoAuditPackage {
  readonly name: string;
  readonly version: string;
  /** `crates.io`, `git`, `local`, `registry`, `other`. */
  readonly source: string;
  /** `runtime` (the default) or `build`. */
  readonly kind: 'runtime' | 'build';
  /** Indices into the package list. */
  readonly dependencies: readonly number[];
  /** The binary's own crate. */
  readonly root: boolean;
}

const SECTIONS = ['.dep-v0', '.rust-deps-v0'];
const MAX_JSON = 32 * 1024 * 1024;

/**
 * The crates recorded in an ELF binary's cargo-auditable section, or undefined when it has none.
 * @throws LarderError BINARY_INVALID naming `name` for a corrupt ELF, zlib stream or JSON.
 */
export function readCargoAuditData(bytes: Buffer, name = 'binary'): CargoAuditPackage[] | undefined {
  if (!isElf(bytes)) return undefined;
  const elf = readElf(bytes, name);
  for (const section of SECTIONS) {
    const data = elfSectionData(elf, section, name);
    if (data === undefined) continue;
    let json: Buffer;
    try {
      json = inflateSync(data, { maxOutputLength: MAX_JSON });
    } catch (err) {
      throw new LarderError(
        'BINARY_INVALID',
        `${name}: section ${section} is not a valid zlib stream: ${(err as Error).message}`,
        {
          cause: err,
          subject: name,
        },
      );
    }
    return parseCargoAuditJson(json.toString('utf8'), `${name} (${section})`);
  }
  return undefined;
}

/**
 * Parses cargo-auditable's JSON. @throws LarderError BINARY_INVALID naming `name` and the
 * package index for anything that is not the documented shape.
 */
export function parseCargoAuditJson(text: string, name = 'audit data'): CargoAuditPackage[] {
  const fail = (why: string): never => {
    throw new LarderError('BINARY_INVALID', `${name}: ${why}`, { subject: name });
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    fail(`not JSON: ${(err as Error).message}`);
  }
  const packages = (doc as { packages?: unknown } | null)?.packages;
  if (typeof doc !== 'object' || doc === null || !Array.isArray(packages)) fail('no "packages" array');
  return (packages as unknown[]).map((p, i): CargoAuditPackage => {
    const at = `packages[${i}]`;
    if (typeof p !== 'object' || p === null) fail(`${at} is not an object`);
    const o = p as Record<string, unknown>;
    if (typeof o.name !== 'string' || o.name === '') fail(`${at}.name is missing`);
    if (typeof o.version !== 'string' || o.version === '') fail(`${at}.version is missing`);
    if (o.source !== undefined && typeof o.source !== 'string') fail(`${at}.source is not a string`);
    if (o.kind !== undefined && o.kind !== 'runtime' && o.kind !== 'build')
      fail(`${at}.kind is ${JSON.stringify(o.kind)}`);
    const deps = o.dependencies ?? [];
    if (!Array.isArray(deps) || deps.some((d) => !Number.isInteger(d)))
      fail(`${at}.dependencies is not a list of indices`);
    return {
      name: o.name as string,
      version: o.version as string,
      source: (o.source as string | undefined) ?? 'crates.io',
      kind: (o.kind as 'runtime' | 'build' | undefined) ?? 'runtime',
      dependencies: deps as number[],
      root: o.root === true,
    };
  });
}

/**
 * The packages to catalogue: runtime crates only, and not `local` ones (path or workspace
 * crates, the binary's own crate among them), which must not match crates.io advisories
 * (catalog.md trap T9).
 */
export function cargoPackages(crates: readonly CargoAuditPackage[], location: string): PackageDraft[] {
  return crates
    .filter((c) => c.kind === 'runtime' && c.source !== 'local')
    .map((c) => ({
      ecosystem: 'cargo',
      name: c.name,
      version: c.version,
      purl: formatPurl({ type: 'cargo', name: c.name, version: c.version }),
      locations: [location],
      evidence: 'cargo-auditable',
    }));
}
