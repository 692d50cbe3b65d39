/** larder's version for provenance and SBOMs: the `version` of the nearest larder package.json. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Walks up from this module to larder's package.json; `0.0.0` when none is found. */
export function larderVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (json.name === 'larder' && typeof json.version === 'string') {
        cached = json.version;
        return cached;
      }
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
    const up = dirname(dir);
    if (up === dir) {
      cached = '0.0.0';
      return cached;
    }
    dir = up;
  }
}
