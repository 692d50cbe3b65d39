// The text formats inside a Java archive: META-INF/MANIFEST.MF and Maven's pom.properties
// (catalog.md §4.5).

/** A manifest: the main section and the per-entry sections, keys as written. */
export interface JavaManifest {
  readonly main: ReadonlyMap<string, string>;
  readonly sections: readonly ReadonlyMap<string, string>[];
}

/**
 * Parses MANIFEST.MF: `Key: value` lines, a line starting with a space continues the value
 * before it, blank lines separate sections (the first is the main one).
 */
export function parseJavaManifest(text: string): JavaManifest {
  const sections: Map<string, string>[] = [new Map()];
  let lastKey: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const current = sections[sections.length - 1]!;
    if (line === '') {
      if (current.size > 0) sections.push(new Map());
      lastKey = undefined;
      continue;
    }
    if (line.startsWith(' ')) {
      if (lastKey !== undefined) current.set(lastKey, current.get(lastKey)! + line.slice(1).trim());
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon).trim();
    current.set(lastKey, line.slice(colon + 1).trim());
  }
  if (sections.length > 1 && sections[sections.length - 1]!.size === 0) sections.pop();
  return { main: sections[0]!, sections: sections.slice(1) };
}

/** A manifest field, main section first, then the per-entry sections in order. */
export function manifestField(manifest: JavaManifest, key: string): string | undefined {
  for (const section of [manifest.main, ...manifest.sections]) {
    const v = section.get(key);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** pom.properties: `key=value` or `key:value`, `#` and `!` comments. */
export function parsePomProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:]+)[=:](.*)$/.exec(line);
    if (m === null) continue;
    out.set(m[1]!.trim(), m[2]!.trim());
  }
  return out;
}
