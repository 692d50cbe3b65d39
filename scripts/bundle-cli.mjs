// Bundles the CLI into dist/cli/ (main.js plus one chunk per lazily imported command): loading
// ~250 ES modules from dist/src cost ~0.1-0.3 s of every `larder` run. The library (dist/src,
// `import ... from 'larder'`) stays as tsc writes it. undici stays external: it is imported on
// first http use only; better-sqlite3 is a native addon and must stay external too.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['undici', 'better-sqlite3'],
  // CommonJS dependencies (commander) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __larderRequire } from 'node:module';\nconst require = __larderRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});
