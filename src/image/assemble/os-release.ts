/** What SBOMs need from `/etc/os-release` (apko reads ID, VERSION_ID and PRETTY_NAME). */
export interface OsRelease {
  readonly id: string;
  readonly versionId: string;
  readonly prettyName: string;
}

/**
 * Parses os-release text (`KEY=value`, values optionally in single or double quotes, `#`
 * comments). Returns undefined when there is no `ID`; missing VERSION_ID and PRETTY_NAME read
 * as ''.
 */
export function parseOsRelease(text: string): OsRelease | undefined {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    values.set(line.slice(0, eq), unquote(line.slice(eq + 1)));
  }
  const id = values.get('ID');
  if (id === undefined || id === '') return undefined;
  return { id, versionId: values.get('VERSION_ID') ?? '', prettyName: values.get('PRETTY_NAME') ?? '' };
}

function unquote(value: string): string {
  const first = value.charAt(0);
  if ((first === '"' || first === "'") && value.length >= 2 && value.endsWith(first)) {
    const inner = value.slice(1, -1);
    return first === '"' ? inner.replace(/\\(["\\`$])/g, '$1') : inner;
  }
  return value;
}
