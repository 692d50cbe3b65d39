// apk license strings → SPDX `licenseDeclared`. Strings that are not valid expressions, and
// identifiers not on the SPDX list, become `LicenseRef-…` entries declared in the document's
// `hasExtractedLicensingInfos`, so every reference resolves and the document stays valid.
import { hexDigest } from '../core/index.js';
import { formatLicenseExpression, parseLicenseExpression } from './license-expression.js';
import type { SpdxExtractedLicense } from './spdx-types.js';

/** Collects the LicenseRefs a document uses, keyed by id. */
export type LicenseRefs = Map<string, SpdxExtractedLicense>;

/** `LicenseRef-<text>` with invalid characters replaced; a short hash keeps altered ones apart. */
export function licenseRefFor(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '');
  if (cleaned === text) return `LicenseRef-${cleaned}`;
  const hash = hexDigest('sha256', text).slice(0, 8);
  return `LicenseRef-${cleaned === '' ? hash : `${cleaned}-${hash}`}`;
}

function declare(refs: LicenseRefs, id: string, text: string): string {
  if (!refs.has(id)) {
    refs.set(id, {
      licenseId: id,
      extractedText: text,
      name: text,
      comment: 'Declared by the package metadata; not a license on the SPDX License List.',
    });
  }
  return id;
}

/**
 * The `licenseDeclared` value for an apk license string: NOASSERTION when absent or blank; the
 * expression with canonical ids when valid; unknown ids (`GPL2`) and whole invalid strings
 * (`custom:foo`, `MIT, BSD`) replaced by LicenseRefs recorded in `refs`.
 */
export function spdxDeclaredLicense(license: string | undefined, refs: LicenseRefs): string {
  const text = license?.trim() ?? '';
  if (text === '' || text === 'NOASSERTION') return 'NOASSERTION';
  if (text === 'NONE') return 'NONE';
  const tokens = parseLicenseExpression(text);
  if (tokens === undefined) return declare(refs, licenseRefFor(text), text);
  return formatLicenseExpression(tokens, (token) => {
    // A DocumentRef would need an externalDocumentRefs entry we cannot write: make it local.
    if (token.kind === 'ref') {
      const local = token.text.includes(':') ? licenseRefFor(token.text) : token.text;
      return declare(refs, local, token.text);
    }
    return token.known ? token.text : declare(refs, licenseRefFor(token.text), token.text);
  });
}
