// Just enough purl reading to name a component: type, name and version of `pkg:type/ns/name@v?q#s`.

/** The parts of a purl that name a component, decoded; undefined when `text` is not a purl. */
export function purlParts(text: string): { type: string; name: string; version?: string } | undefined {
  const match = /^pkg:([A-Za-z][A-Za-z0-9.+-]*)\/([^?#]+)/.exec(text);
  if (match === null) return undefined;
  const type = match[1]!.toLowerCase();
  const path = match[2]!;
  const at = path.lastIndexOf('@');
  const namePath = at > 0 ? path.slice(0, at) : path;
  const name = decode(
    namePath
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? '',
  );
  if (name === '') return undefined;
  return at > 0 ? { type, name, version: decode(path.slice(at + 1)) } : { type, name };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
