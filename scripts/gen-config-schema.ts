// Writes the JSON Schema of the image config (generated from the zod schema) to
// schemas/image-config.schema.json. With --check, writes nothing and exits 1 when the committed
// file is missing or differs from a fresh generation (CI runs this). The text is formatted by
// biome, as `npm run format` would leave it, so generating and formatting never disagree.
//   node --import tsx scripts/gen-config-schema.ts [--check]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { imageConfigJsonSchema } from '../src/image/config/json-schema.js';

const ROOT = join(import.meta.dirname, '..');
const BIOME = join(ROOT, 'node_modules', '.bin', 'biome');

/** Pretty JSON with a final newline, laid out as biome formats it (short arrays on one line). */
function formatJson(path: string, value: unknown): string {
  return execFileSync(BIOME, ['format', `--stdin-file-path=${relative(ROOT, path)}`], {
    cwd: ROOT,
    input: `${JSON.stringify(value, null, 2)}\n`,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** Committed schema files and their fresh text. */
export function schemaFiles(): { path: string; text: string }[] {
  const path = join(ROOT, 'schemas', 'image-config.schema.json');
  return [{ path, text: formatJson(path, imageConfigJsonSchema()) }];
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`gen-config-schema: unknown argument ${unknown.join(' ')} (usage: [--check])`);
    return 2;
  }
  const check = argv.includes('--check');
  let stale = 0;
  for (const { path, text } of schemaFiles()) {
    const name = relative(ROOT, path);
    const committed = readOrUndefined(path);
    if (committed === text) continue;
    if (check) {
      const state = committed === undefined ? 'missing' : 'stale';
      console.error(`${name} is ${state}: run \`npm run gen:schema\` and commit the result`);
      stale++;
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.error(`wrote ${name}`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
