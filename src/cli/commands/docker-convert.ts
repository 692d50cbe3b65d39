import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import { withGlobals } from '../program.js';
import { dockerCommand } from './docker-group.js';

/** Options of `larder docker convert`. */
export interface DockerConvertOptions {
  readonly org?: string;
  readonly inPlace?: boolean;
  readonly json?: boolean;
}

/** A registry path: host and path segments, no tag, no blanks. */
const ORG = /^[A-Za-z0-9][A-Za-z0-9._-]*(:[0-9]+)?(\/[A-Za-z0-9][A-Za-z0-9._-]*)*\/?$/;

/** Registers `larder docker convert [DOCKERFILE] [--org ORG] [--in-place] [--json]`. */
export function registerDockerConvert(program: Command): void {
  withGlobals(dockerCommand(program).command('convert'))
    .description(
      'move a Dockerfile to larder bases: FROM debian/ubuntu/alpine/fedora/... and apt/yum/dnf/apk installs become larder images and apk add; prints a diff',
    )
    .argument('[dockerfile]', 'the Dockerfile, or - for stdin', 'Dockerfile')
    .option('--org <org>', 'registry path of the larder images (ORG/wolfi-base:latest)', 'larder')
    .option('--in-place', 'write the converted Dockerfile over the original (atomically)')
    .option('--json', 'print the converted text, the changes and the flagged items as one line of JSON')
    .action(async (file: string, opts: DockerConvertOptions) => dockerConvert(file, opts));
}

/**
 * Converts one Dockerfile. stdout: a unified diff (`--- F` / `+++ F (converted)`), or JSON, or
 * nothing with --in-place. stderr: one `F:LINE: message` line per flagged item.
 */
export async function dockerConvert(file: string, opts: DockerConvertOptions): Promise<void> {
  const org = opts.org ?? 'larder';
  if (!ORG.test(org))
    throw new LarderError(
      'USAGE',
      `--org ${JSON.stringify(org)}: expected a registry path such as registry.example.com/team`,
    );
  if (file === '-' && opts.inPlace) throw new LarderError('USAGE', '--in-place needs a file, not stdin');
  const text = await readInput(file);
  const name = file === '-' ? 'Dockerfile' : file;
  const { convertDockerfile, unifiedDiff } = await import('../../dockerfile/index.js');
  const result = convertDockerfile(text, name, { org });
  for (const f of result.flags) process.stderr.write(`${f.file}:${f.line}: ${f.message}\n`);
  if (opts.inPlace && result.text !== text) {
    const mode = (await stat(file)).mode & 0o7777;
    await writeFileAtomic(file, result.text, { mode });
  }
  if (opts.json) {
    const json = {
      file: name,
      changed: result.text !== text,
      text: result.text,
      changes: result.changes,
      flags: result.flags.map((f) => ({ line: f.line, message: f.message })),
      packages: result.packages,
    };
    process.stdout.write(`${JSON.stringify(json)}\n`);
  } else if (!opts.inPlace) {
    process.stdout.write(unifiedDiff(text, result.text, name, `${name} (converted)`));
  }
}

async function readInput(file: string): Promise<string> {
  try {
    if (file !== '-') return await readFile(file, 'utf8');
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (cause) {
    throw new LarderError('IO', `${file}: cannot read: ${(cause as Error).message}`, {
      cause,
      subject: file,
    });
  }
}
