import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root. */
export const ROOT = resolve(import.meta.dirname, '..', '..');
/** Third-party fixtures, read in place (never copied into the repo). */
export const SHARED = resolve(ROOT, '..', 'shared', 'fixtures');
/** larder's own fixtures. */
export const OWN = join(ROOT, 'test', 'fixtures');
/** The built CLI entry point. */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export function shared(...parts: string[]): string {
  return join(SHARED, ...parts);
}

export function own(...parts: string[]): string {
  return join(OWN, ...parts);
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'larder-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
