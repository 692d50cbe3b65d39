import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LarderError } from '../../../../src/core/index.js';
import { parseVexDocument } from '../../../../src/vuln/vex/index.js';
import { own } from '../../../kit/paths.js';
import { prng } from '../../../kit/prng.js';

const SEEDS = ['openvex-image.json', 'openvex-v0.0.1.json', 'cyclonedx-vex.json'].map((name) =>
  readFileSync(own('vex', name), 'utf8'),
);

const VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  true,
  '',
  ' ',
  'x',
  'not_affected',
  'exploitable',
  'code_not_present',
  '2025-01-01T00:00:00Z',
  '9999-99-99T99:99:99Z',
  'urn:cdx:#',
  'pkg:',
  [],
  [{}],
  {},
  { '@id': 'pkg:apk/a' },
  { name: 'CVE-1' },
  { ref: 'x' },
];

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Replaces, deletes or wraps one random node of a JSON value. */
function mutateValue(value: unknown, random: Random, depth = 0): unknown {
  if (depth > 0 && random() < 0.25) return structuredClone(pick(random, VALUES));
  if (Array.isArray(value)) {
    if (value.length === 0 || random() < 0.1) return [...value, structuredClone(pick(random, VALUES))];
    const i = Math.floor(random() * value.length);
    const copy = [...value];
    if (random() < 0.15) copy.splice(i, 1);
    else copy[i] = mutateValue(copy[i], random, depth + 1);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    if (keys.length === 0) return { k: pick(random, VALUES) };
    const key = pick(random, keys);
    if (random() < 0.15) delete copy[key];
    else copy[key] = mutateValue(copy[key], random, depth + 1);
    return copy;
  }
  return structuredClone(pick(random, VALUES));
}

/** Cuts, duplicates or flips bytes of the text. */
function mutateText(text: string, random: Random): string {
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 3)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at, at + Math.floor(random() * 40)) + text.slice(at);
    default:
      return text.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + text.slice(at + 1);
  }
}

function run(
  seed: number,
  mutate: (base: string, random: Random) => string,
): { parsed: number; rejected: number } {
  const random = prng(seed);
  let parsed = 0;
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    const text = mutate(pick(random, SEEDS), random);
    try {
      const { statements } = parseVexDocument(text, 'fuzz.json');
      for (const s of statements) {
        expect(typeof s.vulnerability).toBe('string');
        expect(s.products.length).toBeGreaterThan(0);
      }
      parsed++;
    } catch (err) {
      if (!(err instanceof LarderError) || err.code !== 'VEX_INVALID' || !err.message.startsWith('fuzz.json'))
        throw new Error(`case ${i}: ${String(err)}\n${text}`);
      rejected++;
    }
  }
  return { parsed, rejected };
}

describe('fuzzing the VEX readers', () => {
  it('3,000 structural mutations of OpenVEX and CycloneDX documents parse or throw VEX_INVALID', () => {
    const { parsed, rejected } = run(0x5eed, (base, random) => {
      let doc: unknown = JSON.parse(base);
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) doc = mutateValue(doc, random);
      return JSON.stringify(doc);
    });
    expect(parsed).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });

  it('3,000 byte mutations parse or throw VEX_INVALID', () => {
    const { rejected } = run(0xbeef, (base, random) => mutateText(base, random));
    expect(rejected).toBeGreaterThan(1000);
  });

  it('deeply nested components and arrays do not exhaust the stack', () => {
    const depth = 20_000;
    const component = `${'{"type":"library","components":['.repeat(depth)}{"bom-ref":"deep","purl":"pkg:apk/wolfi/deep@1-r0"}${']}'.repeat(depth)}`;
    const text = `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[${component}],"vulnerabilities":[{"id":"CVE-1","analysis":{"state":"resolved"},"affects":[{"ref":"deep"}]}]}`;
    expect(parseVexDocument(text, 'deep.json').statements[0]?.products).toEqual(['pkg:apk/wolfi/deep@1-r0']);
    const nested = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(() => parseVexDocument(nested, 'nested.json')).toThrow(LarderError);
  });
});
