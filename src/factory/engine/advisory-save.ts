/** saveAdvisory: an advisory event from the API or the dashboard, written into the workspace's advisory YAML. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LarderError } from '../../core/index.js';
import {
  type AddedAdvisoryEvent,
  type AdvisoryEvent,
  addAdvisoryEvent,
  FALSE_POSITIVE_TYPES,
  type FalsePositiveType,
} from '../../vuln/index.js';
import type { AdvisoryInput } from '../service.js';

/** Wolfi's timestamp form: UTC, second precision. */
const stamp = (iso: string): string => `${iso.slice(0, 19)}Z`;

function needs(value: string | undefined, what: string, type: string): string {
  if (value === undefined || value.trim() === '')
    throw new LarderError('USAGE', `an advisory ${type} event needs ${what}`);
  return value;
}

/** The Wolfi advisory event an input describes; throws USAGE naming the missing or wrong field. */
export function advisoryEventOf(input: AdvisoryInput, nowIso: string): AdvisoryEvent {
  const timestamp = stamp(nowIso);
  const { type } = input;
  switch (type) {
    case 'detection':
      return { timestamp, type, data: { type: 'manual' } };
    case 'fixed':
      return { timestamp, type, data: { fixedVersion: needs(input.fixedVersion, 'fixedVersion', type) } };
    case 'false-positive-determination': {
      const fp = needs(input.falsePositiveType, 'falsePositiveType', type);
      if (!(FALSE_POSITIVE_TYPES as readonly string[]).includes(fp))
        throw new LarderError(
          'USAGE',
          `falsePositiveType '${fp}': expected one of ${FALSE_POSITIVE_TYPES.join(', ')}`,
        );
      return {
        timestamp,
        type,
        data: { type: fp as FalsePositiveType, ...(input.note === undefined ? {} : { note: input.note }) },
      };
    }
    case 'true-positive-determination':
      return input.note === undefined ? { timestamp, type } : { timestamp, type, data: { note: input.note } };
    case 'pending-upstream-fix':
    case 'fix-not-planned':
    case 'analysis-not-planned':
      return { timestamp, type, data: { note: needs(input.note, 'a note', type) } };
    default:
      throw new LarderError('USAGE', `advisory event type '${String(type)}' is not one of Wolfi's`);
  }
}

/** Adds the event to `<root>/advisories/<package>.advisories.yaml` (created when missing; written atomically). */
export async function writeAdvisory(
  root: string,
  input: AdvisoryInput,
  nowIso: string,
): Promise<AddedAdvisoryEvent> {
  const event = advisoryEventOf(input, nowIso);
  const dir = join(root, 'advisories');
  await mkdir(dir, { recursive: true });
  return addAdvisoryEvent({ dir, package: input.package, vulnerability: input.vulnerability, event });
}
