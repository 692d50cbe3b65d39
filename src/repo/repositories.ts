import { readFile } from 'node:fs/promises';
import { isLarderError, LarderError } from '../core/index.js';
import { locate } from './location.js';

/** One repository, as a line of `/etc/apk/repositories` or one `--repository` value gives it. */
export interface Repository {
  /** http(s) URL, `file://` URL or local path, without trailing `/`. */
  readonly url: string;
  /** The pinning tag of an `@tag URL` line, without the `@`. */
  readonly tag?: string;
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * Parses one `--repository` value: `URL` or `@tag URL`, exactly as a line of
 * `/etc/apk/repositories`. A bad value is REPOSITORY_INVALID naming `where` and the value.
 */
export function parseRepository(value: string, where = '--repository'): Repository {
  const parsed = parseEntry(value.trim());
  if (typeof parsed === 'string') throw invalid(`${where}: ${parsed}`, where);
  if (parsed === undefined) throw invalid(`${where}: ${quote(value)} names no repository`, where);
  return parsed;
}

/**
 * Parses `/etc/apk/repositories` text (formats.md §2.1): `URL` or `@tag URL` per line, blank
 * lines and `#` comments skipped. Every bad line is reported, each as `file:line`, in one
 * REPOSITORY_INVALID error.
 */
export function parseRepositoriesFile(text: string, file: string): Repository[] {
  const repositories: Repository[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const parsed = parseEntry(line.trim());
    if (typeof parsed === 'string') problems.push(`${file}:${index + 1}: ${parsed}`);
    else if (parsed !== undefined) repositories.push(parsed);
  });
  if (problems.length > 0) throw invalid(problems.join('; '), file);
  return repositories;
}

/** Reads and parses a repositories file; an unreadable file is an IO error naming it. */
export async function readRepositoriesFile(path: string): Promise<Repository[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LarderError('IO', `${path}: ${(err as Error).message}`, { cause: err, subject: path });
  }
  return parseRepositoriesFile(text, path);
}

/** The line `/etc/apk/repositories` holds for a repository. */
export function formatRepository(repository: Repository): string {
  return repository.tag === undefined ? repository.url : `@${repository.tag} ${repository.url}`;
}

/** `<url>/<arch>/APKINDEX.tar.gz`. */
export function repositoryIndexUrl(repository: Repository, arch: string): string {
  return `${repository.url}/${arch}/APKINDEX.tar.gz`;
}

/**
 * `<url>/<arch>/<name>-<version>.apk`. The directory is the arch the index was read for,
 * not the record's `A:`: apk looks `noarch` packages up in the arch directory too.
 */
export function repositoryPackageUrl(
  repository: Repository,
  arch: string,
  pkg: { readonly name: string; readonly version: string },
): string {
  return `${repository.url}/${arch}/${pkg.name}-${pkg.version}.apk`;
}

/** A repository, nothing (blank or comment), or what is wrong with the entry. */
function parseEntry(line: string): Repository | string | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const words = line.split(/\s+/);
  const tagged = words[0]?.startsWith('@') === true;
  const tag = tagged ? words[0]!.slice(1) : undefined;
  const rest = tagged ? words.slice(1) : words;
  if (tag !== undefined && !TAG.test(tag)) return `${quote(line)}: invalid tag '@${tag}'`;
  if (rest.length === 0) return `${quote(line)}: a tag needs a URL after it`;
  if (rest.length > 1) return `${quote(line)}: expected 'URL' or '@tag URL'`;
  const url = rest[0]!.replace(/\/+$/, '');
  if (url === '') return `${quote(line)}: empty URL`;
  const problem = urlProblem(url);
  if (problem !== undefined) return `${quote(line)}: ${problem}`;
  return tag === undefined ? { url } : { url, tag };
}

function urlProblem(url: string): string | undefined {
  try {
    const location = locate(url);
    if (location.kind === 'http' && !URL.canParse(url)) return 'not a valid URL';
    return undefined;
  } catch (err) {
    if (isLarderError(err)) return err.message.replace(`${url}: `, '');
    throw err;
  }
}

function quote(value: string): string {
  return `'${value}'`;
}

function invalid(message: string, subject: string): LarderError {
  return new LarderError('REPOSITORY_INVALID', message, { subject });
}
