/** Reading `apko.lock.json`: every shape apko has written, checked, into one model. */
import type { z } from 'zod';
import { LarderError } from '../../core/index.js';
import { formatPath, type PathSegment } from '../config/issues.js';
import { opt } from '../optional.js';
import type { ApkoLock, LockPackage, LockRepository } from './model.js';
import { type LockFileJson, lockFileSchema } from './schema.js';

/**
 * Parses and checks a lock file. `source` names it in messages and is kept on the model.
 * Throws LarderError LOCK_INVALID listing every problem as `<json path> = <value>: why`.
 */
export function parseLockFile(text: string, source: string): ApkoLock {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new LarderError('LOCK_INVALID', `${source}: not JSON: ${jsonErrorPlace(text, err)}`, {
      subject: source,
      cause: err,
    });
  }
  const parsed = lockFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = describeIssues(json, parsed.error);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `${source}: ${p}`).join('\n');
    throw new LarderError('LOCK_INVALID', `invalid lock file ${source} (${count}):\n${lines}`, {
      subject: source,
      cause: parsed.error,
    });
  }
  const lock = toModel(parsed.data, source);
  return text.endsWith('\n') ? lock : { ...lock, finalNewline: false };
}

function toModel(file: LockFileJson, source: string): ApkoLock {
  const c = file.contents;
  const repo = (r: LockRepository): LockRepository => ({
    name: r.name,
    url: r.url,
    architecture: r.architecture,
  });
  return {
    version: file.version,
    ...opt(
      'config',
      file.config && { ...opt('name', file.config.name), ...opt('checksum', file.config.checksum) },
    ),
    contents: {
      keyring: c.keyring.map((k) => ({ name: k.name, url: k.url, ...opt('content', k.content) })),
      ...opt('buildRepositories', c.build_repositories?.map(repo)),
      ...opt('runtimeRepositories', c.runtime_repositories?.map(repo)),
      repositories: c.repositories.map(repo),
      packages: c.packages.map(
        (p): LockPackage => ({
          name: p.name,
          url: p.url,
          version: p.version,
          architecture: p.architecture,
          signature: { range: p.signature.range, checksum: p.signature.checksum },
          control: { range: p.control.range, checksum: p.control.checksum },
          data: { range: p.data.range, checksum: p.data.checksum },
          ...opt('checksum', p.checksum),
        }),
      ),
    },
    source,
  };
}

function describeIssues(json: unknown, error: z.ZodError): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${formatPath([...path, key])}: unknown key`);
      continue;
    }
    const where = formatPath(path) || '(top level)';
    const value = valueAt(json, path);
    if (value === undefined) {
      out.push(`${where}: missing`);
      continue;
    }
    const why = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
    out.push(`${where} = ${show(value)}: ${why}`);
  }
  return out;
}

function valueAt(json: unknown, path: readonly PathSegment[]): unknown {
  let current = json;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `line 3, column 5: <message>` when the JSON error names a position. */
function jsonErrorPlace(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${message}`;
}
