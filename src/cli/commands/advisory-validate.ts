import { readFile, stat } from 'node:fs/promises';
import { LarderError } from '../../core/index.js';
import {
  type AdvisoryFileCheck,
  checkAdvisoryDirectory,
  formatAdvisoryIssue,
  parseAdvisoryText,
  sortAdvisoryIssues,
} from '../../vuln/index.js';
import { ExitStatus } from '../program.js';

/**
 * `larder advisory validate PATH...`: for each document (each `*.advisories.yaml` of a
 * directory, or a file), `OK FILE` or one `FILE:LINE:COL: path: problem` line per problem.
 * Exit 0 when all are valid, 1 when any is not, 2 when a path cannot be read or has none.
 */
export async function advisoryValidate(paths: readonly string[]): Promise<void> {
  let failed = false;
  for (const path of paths) {
    const checks = await checkPath(path);
    const out: string[] = [];
    for (const check of checks) {
      if (check.issues.length === 0) out.push(`OK ${check.file}`);
      else out.push(...sortAdvisoryIssues(check.issues).map(formatAdvisoryIssue));
      failed ||= check.issues.length > 0;
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
  if (failed) throw new ExitStatus(1);
}

async function checkPath(path: string): Promise<AdvisoryFileCheck[]> {
  const info = await stat(path).catch((err: unknown) => {
    throw new LarderError('NOT_FOUND', `cannot read ${path}: ${(err as Error).message}`, {
      subject: path,
      cause: err,
    });
  });
  if (!info.isDirectory()) {
    const parsed = parseAdvisoryText(await readFile(path, 'utf8'), path);
    return [{ file: path, ...(parsed.document && { document: parsed.document }), issues: parsed.issues }];
  }
  const checks = await checkAdvisoryDirectory(path);
  if (checks.length === 0)
    throw new LarderError('NOT_FOUND', `no *.advisories.yaml files in ${path}`, { subject: path });
  return checks;
}
