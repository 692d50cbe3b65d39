import type { Command } from 'commander';
import { initWorkspace } from '../../factory/index.js';
import { globalsOf } from '../program.js';

/**
 * `larder init DIR`: writes a working factory workspace (recipes with their sources, an image
 * config, an empty advisories/, new keys, larder.yaml) and prints its absolute path on stdout;
 * on stderr (unless -q) the files written and what to run next. DIR must be new or empty:
 * anything in it and nothing is written (exit 2).
 */
export async function initCommand(dir: string, _opts: unknown, cmd: Command): Promise<void> {
  const made = await initWorkspace(dir);
  process.stdout.write(`${made.root}\n`);
  if (globalsOf(cmd).quiet) return;
  const lines = [...made.files.map((f) => `  ${f}`), '  advisories/', `next: larder workspace check ${dir}`];
  process.stderr.write(`${lines.join('\n')}\n`);
}
