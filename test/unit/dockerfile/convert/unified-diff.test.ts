import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../src/dockerfile/convert/unified-diff.js';
import { prng } from '../../../kit/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'larder-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Applies `diff` to `before` with GNU patch and returns the result. */
function patch(before: string, diff: string): string {
  const file = join(dir, 'f');
  writeFileSync(file, before);
  writeFileSync(join(dir, 'p'), diff);
  execFileSync('patch', ['-s', '--no-backup-if-mismatch', '-F0', file, join(dir, 'p')]);
  return readFileSync(file, 'utf8');
}

describe('unifiedDiff', () => {
  it.each([
    [
      'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n',
      'one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\nnine\nten\neleven\n',
    ],
    ['1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n11\n12\n', '1\n2\n3\nFOUR\n5\n6\n7\n8\n9\n10\n11\n12\n13\n'],
    ['a\nb\nc\n', 'c\nb\na\n'],
    ['FROM x\nRUN a \\\n  && b\n', 'FROM y\nUSER root\nRUN b\n'],
  ])('prints what GNU diff -u prints (%#)', (a, b) => {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    let gnu = '';
    try {
      execFileSync('diff', ['-u', '--label', 'a', '--label', 'b', join(dir, 'a'), join(dir, 'b')]);
    } catch (err) {
      gnu = String((err as { stdout: Buffer }).stdout);
    }
    expect(gnu).not.toBe('');
    expect(unifiedDiff(a, b, 'a', 'b')).toBe(gnu);
  });

  it('is empty for equal texts and marks a missing final newline', () => {
    expect(unifiedDiff('x\n', 'x\n', 'a', 'b')).toBe('');
    expect(unifiedDiff('x\n', 'x', 'a', 'b')).toBe(
      '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('', 'x\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n');
  });

  it('gives diffs GNU patch applies exactly (seeded random edits)', () => {
    const rand = prng(20261128);
    const pick = (): string => ['a', 'b', 'c', 'RUN x', '', '# c'][Math.floor(rand() * 6)] ?? '';
    for (let n = 0; n < 150; n++) {
      const before = Array.from({ length: Math.floor(rand() * 30) }, pick);
      const after = before.flatMap((line) => {
        const r = rand();
        if (r < 0.1) return [];
        if (r < 0.2) return [pick(), line];
        if (r < 0.3) return [pick()];
        return [line];
      });
      const a = before.map((l) => `${l}\n`).join('');
      const b = after.map((l) => `${l}\n`).join('');
      const diff = unifiedDiff(a, b, 'f', 'f');
      if (a === b) expect(diff).toBe('');
      else expect(patch(a, diff)).toBe(b);
    }
  });
});
