// Installed Python distributions (catalog.md §4.3): `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`
// and single-file `*.egg-info`, all RFC 822 headers up to the first blank line.
import { LarderError } from '../../../core/index.js';
import { formatPurl } from '../../../sbom/index.js';
import type { PackageDraft } from '../package-draft.js';

/**
 * The header fields of a METADATA / PKG-INFO text: keys as written, values with continuation
 * lines joined; repeated keys keep every value.
 */
export function parsePythonMetadata(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trim() === '') break; // the body starts
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last[last.length - 1] = `${last[last.length - 1]}\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(key, values);
    last = values;
  }
  return fields;
}

/** PEP 503: lower case, every run of `-`, `_` and `.` becomes one `-`. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The distribution a METADATA / PKG-INFO file describes. Undefined for the Python 2.7
 * interpreter's own egg-info (named `Python`), which syft skips.
 * @throws LarderError TARGET_INVALID naming `location` when Name or Version is missing.
 */
export function pythonPackage(text: string, location: string): PackageDraft | undefined {
  const fields = parsePythonMetadata(text);
  const name = fields.get('name')?.[0] ?? '';
  const version = fields.get('version')?.[0] ?? '';
  if (name === '' || version === '') {
    throw new LarderError('TARGET_INVALID', `${location}: no ${name === '' ? 'Name' : 'Version'} field`, {
      subject: location,
    });
  }
  if (name === 'Python') return undefined;
  const normalized = normalizePythonName(name);
  const license = [fields.get('license-expression')?.[0], fields.get('license')?.[0]].find(
    (l) => l !== undefined && l !== '' && l.toUpperCase() !== 'UNKNOWN' && !l.includes('\n'),
  );
  return {
    ecosystem: 'pypi',
    name: normalized,
    version,
    purl: formatPurl({ type: 'pypi', name: normalized, version }),
    locations: [location],
    evidence: 'python-dist-info',
    ...(license === undefined ? {} : { licenses: [license] }),
  };
}
