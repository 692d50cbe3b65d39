import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAdvisoryText } from '../../../../src/vuln/advisory/index.js';
import { own } from '../../../kit/paths.js';
import { prng } from '../../../kit/prng.js';

const BASE = readFileSync(own('advisories', 'wolfi-like', 'busybox.advisories.yaml'), 'utf8');

/** Fragments that stress the YAML layer and the schema. */
const PIECES = [
  '',
  '- ',
  ':',
  '[',
  '{',
  '"',
  "'",
  '&a',
  '*a',
  '!!binary',
  '<<: *a',
  '? ',
  '|',
  '#',
  '\t',
  'type: fixed',
  'type: detection',
  'fixed-version: 1.0-r0',
  'data:',
  'timestamp: 2024-01-01T00:00:00Z',
  '  - id: CGA-2222-3333-4444',
  '---',
];

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(random() * n);
  const rounds = 1 + pick(5);
  for (let r = 0; r < rounds; r++) {
    const at = pick(lines.length + 1);
    switch (pick(6)) {
      case 0:
        lines.splice(at, 1);
        break;
      case 1:
        lines.splice(at, 0, PIECES[pick(PIECES.length)] ?? '');
        break;
      case 2:
        lines.splice(at, 0, lines[pick(lines.length)] ?? '');
        break;
      case 3: {
        const line = lines[at] ?? '';
        const pos = pick(line.length + 1);
        lines[at] = line.slice(0, pos) + String.fromCharCode(pick(128)) + line.slice(pos + pick(2));
        break;
      }
      case 4: {
        const line = lines[at] ?? '';
        const pos = pick(line.length + 1);
        lines[at] = line.slice(0, pos) + (PIECES[pick(PIECES.length)] ?? '') + line.slice(pos);
        break;
      }
      default: {
        const line = lines[at] ?? '';
        lines[at] = line.slice(0, pick(line.length + 1));
      }
    }
  }
  return lines.join('\n');
}

describe('advisory parser fuzz (seeded)', () => {
  it.each([1, 2, 3, 4])(
    'seed %i: 100 mutated documents each parse or give placed issues, never throw',
    (seed) => {
      const random = prng(seed);
      let invalid = 0;
      const lineCount = BASE.split('\n').length + 40;
      for (let i = 0; i < 100; i++) {
        const text = mutate(BASE, random);
        const started = performance.now();
        const parsed = parseAdvisoryText(text, 'busybox.advisories.yaml');
        expect(performance.now() - started).toBeLessThan(1000);
        if (parsed.document !== undefined) {
          expect(parsed.issues).toEqual([]);
          continue;
        }
        invalid++;
        expect(parsed.issues.length).toBeGreaterThan(0);
        for (const issue of parsed.issues) {
          expect(issue.file).toBe('busybox.advisories.yaml');
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(lineCount);
          expect(issue.column).toBeGreaterThanOrEqual(1);
          expect(issue.message.length).toBeGreaterThan(0);
        }
      }
      // The mutations must actually break documents, or the test proves nothing.
      expect(invalid).toBeGreaterThan(50);
    },
  );
});
