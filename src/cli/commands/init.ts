import { initWorkspace } from '../../factory/index.js';

/**
 * `larder init DIR`: writes a working factory workspace (recipes with their sources, an image
 * config, an empty advisories/, new keys, larder.yaml) and prints the files written, then what
 * to do next. DIR must be new or empty: anything in it and nothing is written (exit 2).
 */
export async function initCommand(dir: string): Promise<void> {
  const made = await initWorkspace(dir);
  const lines = [
    `created workspace ${made.root}`,
    ...made.files.map((f) => `  ${f}`),
    '  advisories/',
    `next: larder workspace check ${dir}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
