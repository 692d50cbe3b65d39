// npm packages installed under node_modules (catalog.md §4.4): the `package.json` at the root of
// each `node_modules/<name>` or `node_modules/@scope/<name>` directory.
import { LarderError } from '../../../core/index.js';
import { formatPurl } from '../../../sbom/index.js';
import type { PackageDraft } from '../package-draft.js';

/** True for `…node_modules/<name>/package.json` and `…node_modules/@scope/<name>/package.json`. */
export function isNodeModulesManifest(path: string): boolean {
  return /(^|\/)node_modules\/(@[^/]+\/)?[^/@][^/]*\/package\.json$/.test(path);
}

/**
 * The package a package.json describes; undefined when it is `private` or lacks a name or
 * version (fixtures and workspace roots, catalog.md trap T8).
 * @throws LarderError TARGET_INVALID naming `location` when the file is not a JSON object.
 */
export function npmPackage(text: string, location: string): PackageDraft | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new LarderError('TARGET_INVALID', `${location}: not JSON: ${(err as Error).message}`, {
      cause: err,
      subject: location,
    });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new LarderError('TARGET_INVALID', `${location}: not a JSON object`, { subject: location });
  }
  const o = doc as Record<string, unknown>;
  if (o.private === true || typeof o.name !== 'string' || typeof o.version !== 'string') return undefined;
  const name = o.name.trim();
  const version = o.version.trim();
  if (name === '' || version === '') return undefined;
  const slash = name.indexOf('/');
  const scoped = name.startsWith('@') && slash > 1;
  const licenses = npmLicenses(o);
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: formatPurl({
      type: 'npm',
      ...(scoped ? { namespace: name.slice(0, slash) } : {}),
      name: scoped ? name.slice(slash + 1) : name,
      version,
    }),
    locations: [location],
    evidence: 'npm-package-json',
    ...(licenses.length === 0 ? {} : { licenses }),
  };
}

/** `license` as a string or `{type}`, or the old `licenses` list. */
function npmLicenses(o: Record<string, unknown>): string[] {
  const one = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v.trim() || undefined;
    if (typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string') {
      return (v as { type: string }).type.trim() || undefined;
    }
    return undefined;
  };
  const single = one(o.license);
  if (single !== undefined) return [single];
  if (!Array.isArray(o.licenses)) return [];
  return o.licenses.map(one).filter((l): l is string => l !== undefined);
}
