/**
 * Reading advisory documents from disk: one file, or every `*.advisories.yaml` of a directory
 * (sorted by name), with ids checked unique across the directory.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import { type AdvisoryIssue, advisoryInvalid } from './issues.js';
import { ADVISORY_FILE_SUFFIX, type AdvisoryDocument } from './model.js';
import { type ParsedAdvisoryText, parseAdvisoryText } from './parse.js';

/** One file's verdict: its document when valid, and its problems (empty when valid). */
export interface AdvisoryFileCheck {
  readonly file: string;
  readonly document?: AdvisoryDocument;
  readonly issues: readonly AdvisoryIssue[];
}

/** Reads and validates one document; throws ADVISORY_INVALID (every problem) or IO. */
export async function readAdvisoryDocument(file: string): Promise<AdvisoryDocument> {
  const parsed = parseAdvisoryText(await readText(file), file);
  if (parsed.document === undefined) throw advisoryInvalid(file, parsed.issues);
  return parsed.document;
}

/**
 * Reads every `*.advisories.yaml` in `dir` (not its subdirectories), sorted by file name.
 * Throws one ADVISORY_INVALID error listing the problems of all files, or IO.
 */
export async function readAdvisoryDirectory(dir: string): Promise<AdvisoryDocument[]> {
  const checks = await checkAdvisoryDirectory(dir);
  const issues = checks.flatMap((c) => c.issues);
  if (issues.length > 0) throw advisoryInvalid(dir, issues);
  return checks.map((c) => c.document as AdvisoryDocument);
}

/** Validates every document of `dir`: one verdict per file, in file-name order. Throws only IO. */
export async function checkAdvisoryDirectory(dir: string): Promise<AdvisoryFileCheck[]> {
  const files = (await advisoryFiles(dir)).map((name) => join(dir, name));
  const parsed = await mapLimited(files, READ_AHEAD, async (file) =>
    parseAdvisoryText(await readText(file), file),
  );
  const extra = duplicatesAcrossFiles(parsed);
  return files.map((file, i) => {
    const p = parsed[i] as ParsedAdvisoryText;
    const more = extra.get(i) ?? [];
    if (more.length === 0 && p.document !== undefined) return { file, document: p.document, issues: [] };
    return { file, issues: [...p.issues, ...more] };
  });
}

/** The names of the advisory documents in `dir`, in byte order. */
export async function advisoryFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter((e) => !e.isDirectory() && e.name.endsWith(ADVISORY_FILE_SUFFIX))
      .map((e) => e.name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LarderError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      `cannot read advisory directory ${dir}: ${(err as Error).message}`,
      {
        subject: dir,
        cause: err,
      },
    );
  }
  return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const READ_AHEAD = 16;

/** An advisory id used by an earlier file of the directory is a problem in the later one. */
function duplicatesAcrossFiles(parsed: readonly ParsedAdvisoryText[]): Map<number, AdvisoryIssue[]> {
  const owner = new Map<string, string>();
  const out = new Map<number, AdvisoryIssue[]>();
  for (const [i, p] of parsed.entries()) {
    for (const [j, adv] of (p.document?.advisories ?? []).entries()) {
      const first = owner.get(adv.id);
      if (first === undefined) {
        owner.set(adv.id, p.document?.file ?? '');
        continue;
      }
      const list = out.get(i) ?? [];
      list.push(p.place(['advisories', j, 'id'], `duplicate advisory id ${adv.id} (also in ${first})`));
      out.set(i, list);
    }
  }
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LarderError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      `cannot read advisory document ${file}: ${(err as Error).message}`,
      {
        subject: file,
        cause: err,
      },
    );
  }
}

/** Maps with at most `limit` calls in flight, results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
