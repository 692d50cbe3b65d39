import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { compareVersions, isValidVersion } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { ExitStatus } from '../program.js';

const OP = { '-1': '<', '0': '=', '1': '>' } as const;

/** `larder version compare A B` and `--batch` (lines `A B` on stdin, one operator out per line). */
export async function versionCompare(
  a: string | undefined,
  b: string | undefined,
  opts: { batch?: boolean },
  _cmd: Command,
): Promise<void> {
  if (!opts.batch) {
    if (a === undefined || b === undefined)
      throw new LarderError('USAGE', 'version compare needs two versions, or --batch');
    process.stdout.write(`${OP[compareVersions(a, b)]}\n`);
    return;
  }
  if (a !== undefined)
    throw new LarderError('USAGE', `version compare --batch reads stdin; unexpected argument '${a}'`);
  const out: string[] = [];
  let lineNo = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNo++;
    const fields = line.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    if (fields.length !== 2)
      throw new LarderError('USAGE', `stdin line ${lineNo}: expected "A B", got '${line}'`);
    out.push(OP[compareVersions(fields[0]!, fields[1]!)]);
    if (out.length >= 4096) process.stdout.write(`${out.splice(0).join('\n')}\n`);
  }
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
}

/** `larder version check V...`: prints each invalid version (as `apk version -c` does), exit 1 if any. */
export function versionCheck(versions: readonly string[]): void {
  const invalid = versions.filter((v) => !isValidVersion(v));
  if (invalid.length) {
    process.stdout.write(`${invalid.join('\n')}\n`);
    throw new ExitStatus(1);
  }
}
