import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { isLarderError, type LarderErrorCode } from '../../../src/core/index.js';
import type { ConfigIssue } from '../../../src/image/index.js';
import { tempDir } from '../../kit/paths.js';

/** Writes files (path → text) into a fresh temporary directory and returns it. */
export async function writeTree(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('larder-image-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Awaits a promise that must reject with a LarderError of `code`; returns the error. */
export async function rejection(promise: Promise<unknown>, code: LarderErrorCode) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLarderError(err, code), String(err)).toBe(true);
  if (!isLarderError(err)) throw new Error('unreachable');
  return err;
}

/** Runs fn, which must throw a LarderError of `code`; returns the error. */
export function thrown(fn: () => unknown, code: LarderErrorCode) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(isLarderError(err, code), String(err)).toBe(true);
  if (!isLarderError(err)) throw new Error('unreachable');
  return err;
}

/** `line:column path` of each issue, for compact assertions. */
export function places(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.line}:${i.column} ${i.path}`);
}
