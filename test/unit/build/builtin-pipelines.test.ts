import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readPipelineFiles } from '../../../scripts/gen-builtin-pipelines.js';
import { BUILTIN_PIPELINES } from '../../../src/build/pipelines/index.js';

const INPUT_REF = /\$\{\{\s*inputs\.([A-Za-z0-9._-]+)\s*\}\}/g;
const STEP_KEYS = new Set([
  'name',
  'runs',
  'uses',
  'with',
  'if',
  'working-directory',
  'pipeline',
  'environment',
]);
const FILE_KEYS = new Set(['name', 'needs', 'inputs', 'pipeline', 'native']);
const INPUT_KEYS = new Set(['description', 'default', 'required']);

// Every melange built-in used by more than 1% of Wolfi's 3,401 recipes (formats.md §6), plus the
// less used ones we also carry.
const REQUIRED = [
  'git-checkout',
  'strip',
  'autoconf/make',
  'python/import',
  'autoconf/make-install',
  'ruby/install',
  'ruby/clean',
  'ruby/build',
  'split/dev',
  'split/manpages',
  'autoconf/configure',
  'go/build',
  'patch',
  'perl/cleanup',
  'perl/make',
  'fetch',
  'cmake/build',
  'cmake/install',
  'cmake/configure',
  'split/alldocs',
  'split/static',
  'meson/compile',
  'meson/install',
  'meson/configure',
  'split/infodir',
  'cargo/build',
  'go/build/v2',
  'split/lib',
  'split/locales',
];

type Doc = Record<string, unknown>;

function steps(doc: Doc): Doc[] {
  const out: Doc[] = [];
  const walk = (list: unknown): void => {
    for (const step of list as Doc[]) {
      out.push(step);
      if (step.pipeline !== undefined) walk(step.pipeline);
    }
  };
  walk(doc.pipeline ?? []);
  return out;
}

describe('built-in pipelines', () => {
  it('embeds exactly the files under pipelines/, sorted by name', () => {
    const files = readPipelineFiles();
    expect([...BUILTIN_PIPELINES.keys()]).toEqual(files.map(([name]) => name));
    expect([...BUILTIN_PIPELINES.values()]).toEqual(files.map(([, text]) => text));
    expect([...BUILTIN_PIPELINES.keys()]).toEqual([...BUILTIN_PIPELINES.keys()].sort());
  });

  it('has every pipeline used by more than 1% of Wolfi recipes', () => {
    expect(REQUIRED.filter((name) => !BUILTIN_PIPELINES.has(name))).toEqual([]);
  });

  for (const [name, text] of BUILTIN_PIPELINES) {
    it(`${name}: valid structure, and every \${{inputs.x}} is declared`, () => {
      const doc = parse(text) as Doc;
      expect(Object.keys(doc).filter((k) => !FILE_KEYS.has(k))).toEqual([]);
      expect(typeof doc.name).toBe('string');
      const inputs = (doc.inputs ?? {}) as Record<string, Doc>;
      for (const [key, spec] of Object.entries(inputs)) {
        expect(
          Object.keys(spec ?? {}).filter((k) => !INPUT_KEYS.has(k)),
          `${name} input ${key}`,
        ).toEqual([]);
        if (spec?.required !== undefined) expect(typeof spec.required).toBe('boolean');
        if (spec?.default !== undefined)
          expect(['string', 'number', 'boolean']).toContain(typeof spec.default);
      }
      const needs = doc.needs as { packages?: unknown } | undefined;
      if (needs !== undefined) {
        expect(Object.keys(needs)).toEqual(['packages']);
        expect((needs.packages as unknown[]).every((p) => typeof p === 'string')).toBe(true);
      }
      if (doc.native !== undefined) {
        // source steps: run by larder itself, so no shell and no guest packages
        expect(doc.native).toBe(name);
        expect(doc.pipeline).toBeUndefined();
        expect(doc.needs).toBeUndefined();
      } else {
        expect(Array.isArray(doc.pipeline) && (doc.pipeline as unknown[]).length > 0).toBe(true);
        for (const step of steps(doc)) {
          expect(Object.keys(step).filter((k) => !STEP_KEYS.has(k))).toEqual([]);
          expect(step.runs !== undefined || step.uses !== undefined || step.pipeline !== undefined).toBe(
            true,
          );
          if (step.uses !== undefined) expect(BUILTIN_PIPELINES.has(step.uses as string)).toBe(true);
          if (step.runs !== undefined) expect(typeof step.runs).toBe('string');
        }
      }
      const used = new Set([...text.matchAll(INPUT_REF)].map((m) => m[1]!));
      expect([...used].filter((key) => !(key in inputs))).toEqual([]);
    });
  }
});
