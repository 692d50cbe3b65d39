import { DT_NEEDED, DT_SONAME, dynStrings, type ElfTables, readElfTables } from './elf.js';

/** What automatic dependency discovery needs from any ELF object (melange `pkg/sca`). */
export interface ElfDynamicInfo {
  readonly elfClass: 32 | 64;
  /** `e_machine` (62 x86_64, 183 aarch64, ...). */
  readonly machine: number;
  /** `e_type`: 2 for a fixed-address executable, 3 for a shared object or PIE. */
  readonly type: number;
  /** The `PT_INTERP` path with its NULs trimmed, or '' when there is none. */
  readonly interpreter: string;
  /** Every `DT_NEEDED`, in order (Go's `ImportedLibraries`). */
  readonly needed: string[];
  /** Every `DT_SONAME`, in order. */
  readonly sonames: string[];
}

const PT_INTERP = 3;

/**
 * Reads an ELF file of any type as melange's SCA does with Go's `debug/elf`: `NewFile`, the
 * first `PT_INTERP` segment, then `DynString(DT_NEEDED)` and `DynString(DT_SONAME)`.
 *
 * @throws LarderError PACKAGE_INVALID naming `who` when the bytes are not a well-formed ELF
 *   file (callers scanning a tree treat that as "not ELF", as melange does).
 */
export function readElfDynamic(data: Uint8Array, who: string): ElfDynamicInfo {
  const t = readElfTables(data, who, 'not a usable ELF file');
  return {
    elfClass: t.elfClass,
    machine: t.machine,
    type: t.type,
    interpreter: interpreterOf(data, t),
    needed: dynStrings(t, DT_NEEDED),
    sonames: dynStrings(t, DT_SONAME),
  };
}

/** The first `PT_INTERP` segment's bytes as a string, NULs trimmed at both ends as Go does. */
function interpreterOf(data: Uint8Array, t: ElfTables): string {
  const r = t.reader;
  for (let i = 0; i < t.programs.count; i++) {
    const at = Number(t.programs.offset) + i * t.programs.size;
    if (r.u32(at) !== PT_INTERP) continue;
    const offset = r.offset(r.elfClass === 64 ? at + 8 : at + 4, 'program header offset');
    const size = r.offset(r.elfClass === 64 ? at + 32 : at + 16, 'program header file size');
    r.need(offset, size, 'interpreter segment');
    return Buffer.from(data.subarray(Number(offset), Number(offset + size)))
      .toString('utf8')
      .replace(/^\0+|\0+$/g, '');
  }
  return '';
}
