import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLarderError } from '../../../../src/core/index.js';
import {
  type AdvisoryEvent,
  addAdvisoryEvent,
  appendAdvisoryText,
  appendEventText,
  isAdvisoryId,
  newDocumentText,
  parseAdvisoryText,
  readAdvisoryDirectory,
  readAdvisoryDocument,
} from '../../../../src/vuln/advisory/index.js';
import { own, tempDir } from '../../../kit/paths.js';

const CURL = own('advisories', 'edit', 'curl.advisories.yaml');
const ORIGINAL = await readFile(CURL, 'utf8');

const fixed: AdvisoryEvent = {
  timestamp: '2025-03-01T00:00:00Z',
  type: 'fixed',
  data: { fixedVersion: '8.12.0-r0' },
};
const scan: AdvisoryEvent = {
  timestamp: '2025-03-02T00:00:00Z',
  type: 'detection',
  data: {
    type: 'scan/v1',
    data: {
      subpackageName: 'libcurl-openssl4',
      componentID: '0123456789abcdef',
      componentName: 'libcurl-openssl4',
      componentVersion: '8.11.1-r0',
      componentType: 'apk',
      componentLocation: '/.PKGINFO',
      scanner: 'grype',
    },
  },
};

/** The text differs from the original only by `inserted` at one place. */
function insertedOnly(before: string, after: string): string {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  const tail = before.length - start;
  expect(after.slice(after.length - tail)).toBe(before.slice(start));
  return after.slice(start, after.length - tail);
}

describe('editing advisory text in place', () => {
  it('appends an event after the last one, in the list’s own dash and content columns', () => {
    const edited = appendEventText(ORIGINAL, CURL, 0, fixed);
    expect(insertedOnly(ORIGINAL, edited)).toBe(
      [
        '      - timestamp: 2025-03-01T00:00:00Z',
        '        type: fixed',
        '        data:',
        '          fixed-version: 8.12.0-r0',
        '',
      ].join('\n'),
    );
    const doc = parseAdvisoryText(edited, 'curl.advisories.yaml').document;
    expect(doc?.advisories[0]?.events.at(-1)).toEqual(fixed);
  });

  it('appends after a block scalar, before trailing blank lines and comments, with `-   ` item style', () => {
    const edited = appendEventText(ORIGINAL, CURL, 1, scan);
    const inserted = insertedOnly(ORIGINAL, edited);
    expect(inserted.split('\n')[0]).toBe('    -   timestamp: 2025-03-02T00:00:00Z');
    expect(edited).toContain(
      '            Tracked upstream.\n    -   timestamp: 2025-03-02T00:00:00Z\n        type: detection\n',
    );
    expect(edited).toContain('            scanner: grype\n\n  # Trailing comment of the advisories list.\n');
    const doc = parseAdvisoryText(edited, 'curl.advisories.yaml').document;
    expect(doc?.advisories[1]?.events).toEqual([
      {
        timestamp: '2025-02-01T00:00:00Z',
        type: 'pending-upstream-fix',
        data: { note: 'Waiting for the 8.12 release.\nTracked upstream.\n' },
      },
      scan,
    ]);
  });

  it('appends a new advisory, separated by a blank line as the existing ones are', () => {
    const advisory = { id: 'CGA-8cw2-crgr-4wx3', aliases: ['CVE-2025-90063'], events: [fixed] };
    const edited = appendAdvisoryText(ORIGINAL, CURL, advisory);
    const anchor = '            Tracked upstream.\n';
    expect(ORIGINAL.split(anchor).length).toBe(2);
    expect(edited).toBe(
      ORIGINAL.replace(
        anchor,
        anchor +
          [
            '',
            '  - id: CGA-8cw2-crgr-4wx3',
            '    aliases:',
            '      - CVE-2025-90063',
            '    events:',
            '      - timestamp: 2025-03-01T00:00:00Z',
            '        type: fixed',
            '        data:',
            '          fixed-version: 8.12.0-r0',
            '',
          ].join('\n'),
      ),
    );
    expect(parseAdvisoryText(edited, 'curl.advisories.yaml').document?.advisories.length).toBe(3);
  });

  it('no blank line between advisories when the file has none; a newline is added at an unterminated end', () => {
    const compact = newDocumentText('p', { id: 'CGA-2222-3333-4444', aliases: [], events: [fixed] }).replace(
      /\n$/,
      '',
    );
    const twice = appendAdvisoryText(compact, 'p.advisories.yaml', {
      id: 'CGA-2222-3333-5555',
      aliases: ['CVE-2025-1000'],
      events: [fixed],
    });
    const thrice = appendAdvisoryText(twice, 'p.advisories.yaml', {
      id: 'CGA-2222-3333-6666',
      aliases: [],
      events: [fixed],
    });
    expect(twice).toContain('fixed-version: 8.12.0-r0\n\n  - id: CGA-2222-3333-5555\n'); // one item: Wolfi's gap
    const noGap = twice.replace('\n\n  - id: CGA-2222-3333-5555', '\n  - id: CGA-2222-3333-5555');
    const noGapAfter = appendAdvisoryText(noGap, 'p.advisories.yaml', {
      id: 'CGA-2222-3333-6666',
      aliases: [],
      events: [fixed],
    });
    expect(noGapAfter).toContain('fixed-version: 8.12.0-r0\n  - id: CGA-2222-3333-6666\n');
    expect(parseAdvisoryText(thrice, 'p.advisories.yaml').document?.advisories.map((a) => a.id)).toEqual([
      'CGA-2222-3333-4444',
      'CGA-2222-3333-5555',
      'CGA-2222-3333-6666',
    ]);
  });

  it('quotes what would not read back as the same string', () => {
    const note: AdvisoryEvent = {
      timestamp: '2025-03-01T00:00:00Z',
      type: 'fix-not-planned',
      data: { note: 'EOL: no fix # upstream\nsecond line' },
    };
    const tricky: AdvisoryEvent = {
      timestamp: '2025-03-01T00:00:00Z',
      type: 'analysis-not-planned',
      data: { note: 'null' },
    };
    const text = appendEventText(appendEventText(ORIGINAL, CURL, 0, note), CURL, 0, tricky);
    expect(text).toContain('note: "EOL: no fix # upstream\\nsecond line"');
    expect(text).toContain('note: "null"');
    const events = parseAdvisoryText(text, 'curl.advisories.yaml').document?.advisories[0]?.events ?? [];
    expect(events.slice(-2)).toEqual([note, tricky]);
  });

  it('a new document is laid out as Wolfi writes them', () => {
    const text = newDocumentText('zlib', {
      id: 'CGA-2222-3333-4444',
      aliases: ['CVE-2025-90012'],
      events: [fixed],
    });
    expect(text).toBe(
      [
        'schema-version: 2.0.2',
        '',
        'package:',
        '  name: zlib',
        '',
        'advisories:',
        '  - id: CGA-2222-3333-4444',
        '    aliases:',
        '      - CVE-2025-90012',
        '    events:',
        '      - timestamp: 2025-03-01T00:00:00Z',
        '        type: fixed',
        '        data:',
        '          fixed-version: 8.12.0-r0',
        '',
      ].join('\n'),
    );
  });

  it('refuses to append to a flow-style list, naming the place', () => {
    const flow = ORIGINAL.replace(
      / {4}events:\n {6}- timestamp: 2024-03-01T10:00:00Z[\s\S]*?"8.6.0-r1"\n/,
      '    events: [{timestamp: 2024-03-01T10:00:00Z, type: detection, data: {type: manual}}]\n',
    );
    expect(parseAdvisoryText(flow, 'curl.advisories.yaml').issues).toEqual([]);
    let err: unknown;
    try {
      appendEventText(flow, 'curl.advisories.yaml', 0, fixed);
    } catch (e) {
      err = e;
    }
    expect(isLarderError(err, 'ADVISORY_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(
      /^curl\.advisories\.yaml:11:13: cannot edit: only a non-empty block-style list/,
    );
  });
});

describe('addAdvisoryEvent (files)', () => {
  async function workDir(): Promise<string> {
    const dir = await tempDir();
    await copyFile(CURL, join(dir, 'curl.advisories.yaml'));
    await copyFile(
      own('advisories', 'wolfi-like', 'zlib.advisories.yaml'),
      join(dir, 'zlib.advisories.yaml'),
    );
    return dir;
  }

  it('by alias: appends to the advisory that has it; the rest of the file is byte for byte the same', async () => {
    const dir = await workDir();
    const added = await addAdvisoryEvent({
      dir,
      package: 'curl',
      vulnerability: 'CVE-2025-90062',
      event: fixed,
    });
    expect(added).toEqual({
      id: 'CGA-5573-2mfc-p98v',
      file: join(dir, 'curl.advisories.yaml'),
      created: 'event',
    });
    const after = await readFile(join(dir, 'curl.advisories.yaml'), 'utf8');
    insertedOnly(ORIGINAL, after);
    expect(after.startsWith('# Advisories for curl. Keep this header')).toBe(true);
    const doc = await readAdvisoryDocument(join(dir, 'curl.advisories.yaml'));
    expect(doc.advisories[1]?.events.at(-1)).toEqual(fixed);
    expect(await readdir(dir)).toEqual(['curl.advisories.yaml', 'zlib.advisories.yaml']); // no temp files
  });

  it('by CGA id: appends to that advisory', async () => {
    const dir = await workDir();
    const added = await addAdvisoryEvent({
      dir,
      package: 'curl',
      vulnerability: 'CGA-9m9w-f4q4-w37p',
      event: scan,
    });
    expect(added.created).toBe('event');
    expect((await readAdvisoryDocument(join(dir, 'curl.advisories.yaml'))).advisories[0]?.events.length).toBe(
      3,
    );
  });

  it('a new alias opens a new advisory with a fresh CGA id unique in the directory', async () => {
    const dir = await workDir();
    const added = await addAdvisoryEvent({
      dir,
      package: 'curl',
      vulnerability: 'GHSA-rcrc-hfmh-5vm7',
      event: fixed,
    });
    expect(added.created).toBe('advisory');
    expect(isAdvisoryId(added.id)).toBe(true);
    const docs = await readAdvisoryDirectory(dir);
    const ids = docs.flatMap((d) => d.advisories.map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
    const curl = docs.find((d) => d.package.name === 'curl');
    expect(curl?.advisories.at(-1)).toEqual({
      id: added.id,
      aliases: ['GHSA-rcrc-hfmh-5vm7'],
      events: [fixed],
    });
  });

  it('a package without a document gets one', async () => {
    const dir = await workDir();
    const added = await addAdvisoryEvent({
      dir,
      package: 'busybox',
      vulnerability: 'CVE-2025-90070',
      event: fixed,
    });
    expect(added.created).toBe('document');
    expect(added.file).toBe(join(dir, 'busybox.advisories.yaml'));
    const doc = await readAdvisoryDocument(added.file);
    expect(doc).toEqual({
      file: added.file,
      schemaVersion: '2.0.2',
      package: { name: 'busybox' },
      advisories: [{ id: added.id, aliases: ['CVE-2025-90070'], events: [fixed] }],
    });
  });

  it('refuses: unknown CGA id, an id of another package, bad ids and names, invalid events, an invalid directory', async () => {
    const dir = await workDir();
    const cases: [Parameters<typeof addAdvisoryEvent>[0], string, RegExp][] = [
      [
        { dir, package: 'curl', vulnerability: 'CGA-2222-2222-2222', event: fixed },
        'NOT_FOUND',
        /curl has no advisory CGA-2222-2222-2222/,
      ],
      [
        { dir, package: 'curl', vulnerability: 'CGA-72gv-xxfh-jrjf', event: fixed },
        'USAGE',
        /is an advisory of zlib/,
      ],
      [
        { dir, package: 'curl', vulnerability: 'CVE-24-1', event: fixed },
        'USAGE',
        /'CVE-24-1' is not a CGA, CVE, GHSA or Go/,
      ],
      [
        { dir, package: '../etc', vulnerability: 'CVE-2025-1000', event: fixed },
        'USAGE',
        /'..\/etc' is not a package name/,
      ],
      [
        {
          dir,
          package: 'curl',
          vulnerability: 'CVE-2025-1000',
          event: { ...fixed, data: { fixedVersion: '1.1.0-r1-r0' } },
        },
        'ADVISORY_INVALID',
        /invalid fixed event: data\.fixed-version: invalid fixed-version '1\.1\.0-r1-r0'/,
      ],
      [
        { dir, package: 'curl', vulnerability: 'CVE-2025-1000', event: { ...fixed, timestamp: 'now' } },
        'ADVISORY_INVALID',
        /timestamp 'now' is not RFC 3339/,
      ],
      [
        {
          dir,
          package: 'curl',
          vulnerability: 'CVE-2025-1000',
          event: { timestamp: fixed.timestamp, type: 'pending-upstream-fix', data: { note: ' ' } },
        },
        'ADVISORY_INVALID',
        /note must not be empty/,
      ],
    ];
    for (const [request, code, message] of cases) {
      const err = await addAdvisoryEvent(request).catch((e: unknown) => e);
      expect(isLarderError(err), String(message)).toBe(true);
      expect((err as { code: string }).code, String(message)).toBe(code);
      expect((err as Error).message).toMatch(message);
    }
    await writeFile(join(dir, 'bad.advisories.yaml'), 'schema-version: 2.0.2\n');
    const err = await addAdvisoryEvent({
      dir,
      package: 'curl',
      vulnerability: 'CVE-2025-1000',
      event: fixed,
    }).catch((e: unknown) => e);
    expect(isLarderError(err, 'ADVISORY_INVALID')).toBe(true);
    expect(await readFile(join(dir, 'curl.advisories.yaml'), 'utf8')).toBe(ORIGINAL); // nothing written
  });
});
