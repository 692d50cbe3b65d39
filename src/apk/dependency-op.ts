/** Dependency operators and their apk result masks (formats.md §2.3, apk `apk_version.h`). */
import {
  DEPMASK_ANY,
  DEPMASK_CHECKSUM,
  VERSION_EQUAL,
  VERSION_FUZZY,
  VERSION_GREATER,
  VERSION_LESS,
} from './version.js';

/**
 * A version constraint, in apk-tools' spelling. `any` has no version; `~` is fuzzy equality
 * (also spelled `=~`/`~=`); `><` pins one package build by its `Q1…` checksum.
 */
export type VersionOp = 'any' | '=' | '<' | '<=' | '>' | '>=' | '~' | '><';

/** Every operator, in a stable order (for tables and exhaustive tests). */
export const VERSION_OPS: readonly VersionOp[] = ['any', '=', '<', '<=', '>', '>=', '~', '><'];

/** apk's result mask for an operator (what `apk_dep_is_provided` ANDs with the comparison). */
export function versionOpMask(op: VersionOp): number {
  switch (op) {
    case 'any':
      return DEPMASK_ANY;
    case '=':
      return VERSION_EQUAL;
    case '<':
      return VERSION_LESS;
    case '<=':
      return VERSION_LESS | VERSION_EQUAL;
    case '>':
      return VERSION_GREATER;
    case '>=':
      return VERSION_GREATER | VERSION_EQUAL;
    case '~':
      return VERSION_FUZZY | VERSION_EQUAL;
    case '><':
      return DEPMASK_CHECKSUM;
  }
}

/**
 * The operator for a run of `<>=~` characters. apk ORs the characters into a mask, so `=>`
 * means `>=`, `==` means `=` and `<>` means `><`. Masks apk cannot print back (it writes `?`),
 * such as `>~`, `<~` and `<=>`, give undefined: they would not survive a round trip through an
 * index or a world file, and their meaning ("greater or fuzzy-equal") is used by nobody.
 */
export function opFromRun(run: string): VersionOp | undefined {
  let mask = 0;
  for (let i = 0; i < run.length; i++) {
    const bits = CHAR_MASK[run.charCodeAt(i)] ?? 0;
    if (bits === 0) return undefined;
    mask |= bits;
  }
  return OP_BY_MASK[mask];
}

/** Mask bits of each operator character, indexed by character code (0: not an operator). */
const CHAR_MASK = new Uint8Array(128);
CHAR_MASK[60 /* < */] = VERSION_LESS;
CHAR_MASK[62 /* > */] = VERSION_GREATER;
CHAR_MASK[61 /* = */] = VERSION_EQUAL;
CHAR_MASK[126 /* ~ */] = VERSION_FUZZY | VERSION_EQUAL;

/** The operator whose mask is the index, or undefined (a table: this runs per dependency). */
const OP_BY_MASK: ReadonlyArray<VersionOp | undefined> = Array.from({ length: 16 }, (_, mask) =>
  VERSION_OPS.find((op) => op !== 'any' && versionOpMask(op) === mask),
);
