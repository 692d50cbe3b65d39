import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createIgnoreMatcher, parseDockerignore } from '../parse/index.js';

/**
 * Whether a context path is sent to COPY/ADD: `<context>/.dockerignore` applied (every path
 * when there is none).
 */
export async function contextIncludes(contextDir: string): Promise<(rel: string, isDir: boolean) => boolean> {
  const file = join(contextDir, '.dockerignore');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return () => true;
    throw err;
  }
  const matcher = createIgnoreMatcher(parseDockerignore(text, file));
  return (rel, isDir) => !matcher.ignores(rel, isDir);
}
