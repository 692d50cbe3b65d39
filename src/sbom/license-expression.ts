// SPDX license expressions (SPDX 2.3 Annex D), as far as an SBOM writer needs them: is the
// string a valid expression, which identifiers are not on the SPDX License List, and the
// expression again with canonical identifiers and single spaces.
import { SPDX_LICENSE_IDS_TEXT } from './spdx-license-ids.js';

/** One token of a parsed expression. */
export type LicenseToken =
  | { kind: 'operator'; text: '(' | ')' | 'AND' | 'OR' | 'WITH' }
  /** A license or exception id: `known` when on the SPDX list (`text` then in canonical case). */
  | { kind: 'id'; text: string; known: boolean }
  /** `LicenseRef-x` or `DocumentRef-y:LicenseRef-x`: user-defined, valid as written. */
  | { kind: 'ref'; text: string };

// Matching is case-insensitive (SPDX 2.3 D.2); we write the list's spelling.
const CANONICAL_IDS: ReadonlyMap<string, string> = new Map(
  SPDX_LICENSE_IDS_TEXT.split(/\s+/)
    .filter((id) => id !== '')
    .map((id) => [id.toLowerCase(), id]),
);

const REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;
const ID = /^([A-Za-z0-9.-]+)(\+?)$/;

function toToken(word: string): LicenseToken | undefined {
  if (word === '(' || word === ')' || word === 'AND' || word === 'OR' || word === 'WITH') {
    return { kind: 'operator', text: word };
  }
  if (REF.test(word)) return { kind: 'ref', text: word };
  const match = ID.exec(word);
  if (match === null) return undefined;
  const canonical = CANONICAL_IDS.get(match[1]!.toLowerCase());
  return canonical === undefined
    ? { kind: 'id', text: word, known: false }
    : { kind: 'id', text: `${canonical}${match[2]}`, known: true };
}

/**
 * Tokens of `text` when it is a syntactically valid SPDX license expression (operators in upper
 * case, as the spec requires), else undefined. Identifiers that are not on the SPDX list still
 * parse, marked `known: false`, so callers decide what to do with them. The right-hand side of
 * `WITH` may be any listed identifier (the list does not tell exceptions from licenses).
 */
export function parseLicenseExpression(text: string): LicenseToken[] | undefined {
  const tokens: LicenseToken[] = [];
  for (const word of text.replace(/[()]/g, ' $& ').split(/\s+/)) {
    if (word === '') continue;
    const token = toToken(word);
    if (token === undefined) return undefined;
    tokens.push(token);
  }
  let at = 0;
  const isOp = (op: string): boolean => {
    const token = tokens[at];
    return token?.kind === 'operator' && token.text === op;
  };
  // compound := simple ('WITH' id)? (('AND' | 'OR') compound)?
  const compound = (): boolean => {
    if (isOp('(')) {
      at++;
      if (!compound() || !isOp(')')) return false;
      at++;
    } else {
      const token = tokens[at];
      if (token === undefined || token.kind === 'operator') return false;
      at++;
      if (isOp('WITH')) {
        at++;
        const exception = tokens[at];
        if (exception?.kind !== 'id' || !exception.known || exception.text.endsWith('+')) return false;
        at++;
      }
    }
    if (isOp('AND') || isOp('OR')) {
      at++;
      return compound();
    }
    return true;
  };
  return tokens.length > 0 && compound() && at === tokens.length ? tokens : undefined;
}

/** Writes tokens back as an expression, each id or ref through `map` (default: as is). */
export function formatLicenseExpression(
  tokens: readonly LicenseToken[],
  map: (token: Exclude<LicenseToken, { kind: 'operator' }>) => string = (token) => token.text,
): string {
  const words = tokens.map((token) => (token.kind === 'operator' ? token.text : map(token)));
  return words.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** True when `text` is a valid expression whose identifiers are all listed or LicenseRefs. */
export function isSpdxLicenseExpression(text: string): boolean {
  const tokens = parseLicenseExpression(text);
  return tokens?.every((token) => token.kind !== 'id' || token.known) === true;
}
