/**
 * `advisory add`: record an event for a package and a vulnerability in an advisory directory.
 * The event goes to the advisory that has the id (CGA) or alias (CVE, GHSA, GO) given; with an
 * alias nobody has yet, a new advisory with a fresh CGA id is made; a missing document is
 * created. The edited text is checked to read back as the old document plus the change, then
 * written atomically (and only if nobody changed the file meanwhile).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LarderError, writeFileAtomic } from '../../core/index.js';
import { appendAdvisoryText, appendEventText, newDocumentText } from './edit-text.js';
import { normalizeAdvisoryEvent } from './event-check.js';
import { isAdvisoryId, isAliasId, newAdvisoryId, type RandomBytes } from './ids.js';
import { advisoryInvalid } from './issues.js';
import {
  ADVISORY_SCHEMA_VERSION,
  type Advisory,
  type AdvisoryDocument,
  type AdvisoryEvent,
  advisoryFileName,
} from './model.js';
import { parseAdvisoryText } from './parse.js';
import { readAdvisoryDirectory } from './read.js';

/** What to record. */
export interface AddAdvisoryEventRequest {
  /** The advisory directory (one `<package>.advisories.yaml` per origin package). */
  readonly dir: string;
  /** The origin package. */
  readonly package: string;
  /** The package's advisory id (`CGA-…`), or a CVE / GHSA / GO id it has or will have as alias. */
  readonly vulnerability: string;
  readonly event: AdvisoryEvent;
  /** Randomness for a new CGA id (tests pass a seeded source). */
  readonly random?: RandomBytes;
}

/** What was done. */
export interface AddedAdvisoryEvent {
  /** The advisory's CGA id. */
  readonly id: string;
  readonly file: string;
  /** `document`: a new file; `advisory`: a new advisory in the file; `event`: an event appended. */
  readonly created: 'document' | 'advisory' | 'event';
}

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+._-]*$/;

/** Records `request.event`; throws USAGE, NOT_FOUND, ADVISORY_INVALID or IO. */
export async function addAdvisoryEvent(request: AddAdvisoryEventRequest): Promise<AddedAdvisoryEvent> {
  const { dir, vulnerability } = request;
  const pkg = request.package;
  if (!PACKAGE_NAME.test(pkg)) throw new LarderError('USAGE', `'${pkg}' is not a package name`);
  if (!isAdvisoryId(vulnerability) && !isAliasId(vulnerability))
    throw new LarderError('USAGE', `'${vulnerability}' is not a CGA, CVE, GHSA or Go vulnerability id`);
  const normalized = normalizeAdvisoryEvent(request.event);
  if (normalized.event === undefined)
    throw new LarderError(
      'ADVISORY_INVALID',
      `invalid ${request.event.type} event: ${normalized.problems.join('; ')}`,
    );
  const event = normalized.event;

  // The whole directory must be valid: new ids must be unique across it.
  const docs = await readAdvisoryDirectory(dir);
  const file = join(dir, advisoryFileName(pkg));
  const doc = docs.find((d) => d.package.name === pkg);
  const owner = docs.find((d) => d !== doc && d.advisories.some((a) => a.id === vulnerability));
  if (owner !== undefined)
    throw new LarderError(
      'USAGE',
      `${vulnerability} is an advisory of ${owner.package.name} (${owner.file}), not of ${pkg}`,
    );
  const index =
    doc?.advisories.findIndex((a) => a.id === vulnerability || a.aliases.includes(vulnerability)) ?? -1;
  if (index < 0 && isAdvisoryId(vulnerability))
    throw new LarderError(
      'NOT_FOUND',
      `${pkg} has no advisory ${vulnerability}; give a CVE, GHSA or Go id to open a new advisory`,
      { subject: file },
    );

  if (doc === undefined) {
    const advisory = newAdvisory(docs, vulnerability, event, request.random);
    const text = newDocumentText(pkg, advisory);
    const expected = {
      file,
      schemaVersion: ADVISORY_SCHEMA_VERSION,
      package: { name: pkg },
      advisories: [advisory],
    };
    await writeChecked(file, undefined, text, expected);
    return { id: advisory.id, file, created: 'document' };
  }
  const original = await readFile(file, 'utf8');
  if (index >= 0) {
    const target = doc.advisories[index] as Advisory;
    const advisories = doc.advisories.map((a, i) =>
      i === index ? { ...a, events: [...a.events, event] } : a,
    );
    await writeChecked(file, original, appendEventText(original, file, index, event), { ...doc, advisories });
    return { id: target.id, file, created: 'event' };
  }
  const advisory = newAdvisory(docs, vulnerability, event, request.random);
  const text = appendAdvisoryText(original, file, advisory);
  await writeChecked(file, original, text, { ...doc, advisories: [...doc.advisories, advisory] });
  return { id: advisory.id, file, created: 'advisory' };
}

function newAdvisory(
  docs: readonly AdvisoryDocument[],
  alias: string,
  event: AdvisoryEvent,
  random?: RandomBytes,
): Advisory {
  const taken = new Set(docs.flatMap((d) => d.advisories.map((a) => a.id)));
  return { id: newAdvisoryId(taken, random), aliases: [alias], events: [event] };
}

/**
 * Writes `text` after checking it parses to `expected`; the rename happens only if the file
 * still holds `original` (undefined: still does not exist).
 */
async function writeChecked(
  file: string,
  original: string | undefined,
  text: string,
  expected: AdvisoryDocument,
) {
  const parsed = parseAdvisoryText(text, file);
  if (parsed.document === undefined) throw advisoryInvalid(file, parsed.issues);
  if (!isDeepStrictEqual(parsed.document, expected))
    throw new LarderError(
      'ADVISORY_INVALID',
      `${file}: the edit would change more than the new entry; edit the file by hand`,
      {
        subject: file,
      },
    );
  await writeFileAtomic(file, text, {
    beforeRename: async () => {
      const now = await readFile(file, 'utf8').catch(() => undefined);
      if (now !== original)
        throw new LarderError('IO', `${file} changed while it was being edited; nothing was written`, {
          subject: file,
        });
    },
  });
}
