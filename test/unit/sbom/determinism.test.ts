import { describe, expect, it } from 'vitest';
import {
  formatJson,
  type SbomDocumentInput,
  sbomFileName,
  toCycloneDxDocument,
  toSpdxDocument,
  toSpdxIndexDocument,
} from '../../../src/sbom/index.js';
import { wolfiBaseInput } from './helpers.js';

/** Lines of `b` that differ from `a`, when both have the same number of lines. */
function changedLines(a: string, b: string): string[] {
  const left = a.split('\n');
  const right = b.split('\n');
  expect(right).toHaveLength(left.length);
  return right.filter((line, i) => line !== left[i]).map((line) => line.trim());
}

const writers: Array<[string, (input: SbomDocumentInput) => unknown]> = [
  ['spdx', toSpdxDocument],
  ['cyclonedx', toCycloneDxDocument],
];

describe.each(writers)('%s determinism', (_, write) => {
  it('gives the same bytes for the same input, whatever the package order', () => {
    const input = wolfiBaseInput();
    const shuffled = wolfiBaseInput({ packages: [...input.packages].reverse() });
    expect(formatJson(write(shuffled))).toBe(formatJson(write(input)));
    expect(formatJson(write(input))).toBe(formatJson(write(wolfiBaseInput())));
  });

  it('changes only the time fields when only `created` changes', () => {
    const a = formatJson(write(wolfiBaseInput({ created: 1_700_000_000 })));
    const b = formatJson(write(wolfiBaseInput({ created: new Date('2030-01-02T03:04:05Z') })));
    expect(changedLines(a, b)).toEqual([
      expect.stringMatching(/^"(created|timestamp)": "2030-01-02T03:04:05Z",?$/),
    ]);
  });

  it('changes identifiers when the content changes', () => {
    const a = write(wolfiBaseInput()) as Record<string, unknown>;
    const b = write(wolfiBaseInput({ packages: wolfiBaseInput().packages.slice(1) })) as Record<
      string,
      unknown
    >;
    const id = (doc: Record<string, unknown>) => doc.documentNamespace ?? doc.serialNumber;
    expect(id(a)).not.toBe(id(b));
  });
});

describe('formatJson and sbomFileName', () => {
  it('writes two-space JSON with a final newline', () => {
    expect(formatJson({ a: [1], b: 'x' })).toBe('{\n  "a": [\n    1\n  ],\n  "b": "x"\n}\n');
  });

  it('uses apko file names', () => {
    expect(sbomFileName('x86_64', 'spdx')).toBe('sbom-x86_64.spdx.json');
    expect(sbomFileName('index', 'spdx')).toBe('sbom-index.spdx.json');
    expect(sbomFileName('aarch64', 'cdx')).toBe('sbom-aarch64.cdx.json');
  });

  it('makes the index document deterministic too', () => {
    const input = {
      name: 'x',
      created: 5,
      os: { id: 'wolfi' },
      subject: { digest: `sha256:${'1'.repeat(64)}` },
      images: [{ arch: 'x86_64', digest: `sha256:${'2'.repeat(64)}` }],
      toolVersion: '1',
    };
    const again = { ...input, images: [...input.images], created: 6 };
    expect(
      changedLines(formatJson(toSpdxIndexDocument(input)), formatJson(toSpdxIndexDocument(again))),
    ).toEqual(['"created": "1970-01-01T00:00:06Z",']);
  });

  it('rejects an invalid creation time', () => {
    expect(() => toSpdxDocument(wolfiBaseInput({ created: Number.NaN }))).toThrow(/not a valid time/);
  });
});

describe('the schema checks have teeth', () => {
  it('reject broken documents', async () => {
    const { cycloneDxValidator, problems, spdxValidator } = await import('./helpers.js');
    const spdx = toSpdxDocument(wolfiBaseInput()) as unknown as Record<string, unknown>;
    expect(
      problems(spdxValidator(), { ...spdx, spdxVersion: undefined, relationships: [{ x: 1 }] }),
    ).not.toEqual([]);
    const cdx = toCycloneDxDocument(wolfiBaseInput());
    expect(problems(cycloneDxValidator(), { ...cdx, serialNumber: 'urn:uuid:nope' })).not.toEqual([]);
    expect(
      problems(cycloneDxValidator(), {
        ...cdx,
        components: [{ ...cdx.components[1], licenses: [{ expression: 'MIT' }, { expression: 'X' }] }],
      }),
    ).not.toEqual([]);
  });
});
