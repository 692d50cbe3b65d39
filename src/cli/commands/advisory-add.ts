import { createHash } from 'node:crypto';
import { LarderError } from '../../core/index.js';
import {
  ADVISORY_EVENT_TYPES,
  type AdvisoryEvent,
  type AdvisoryEventType,
  addAdvisoryEvent,
  type Detection,
  FALSE_POSITIVE_TYPES,
  type FalsePositiveType,
} from '../../vuln/index.js';
import { sourceDateEpoch } from '../environment.js';

/** Options of `advisory add` (commander's camelCase names). */
export interface AdvisoryAddOptions {
  readonly event: string;
  readonly fixedVersion?: string;
  readonly fpType?: string;
  readonly note?: string;
  readonly detectionType?: string;
  readonly cpeSearched?: string;
  readonly cpeFound?: string;
  readonly subpackage?: string;
  readonly componentId?: string;
  readonly componentName?: string;
  readonly componentVersion?: string;
  readonly componentType?: string;
  readonly componentLocation?: string;
  readonly scanner?: string;
  readonly timestamp?: string;
}

/**
 * `larder advisory add DIR PACKAGE VULN-ID --event TYPE [data flags] [--timestamp T]`: records
 * the event and prints the advisory's CGA id.
 */
export async function advisoryAdd(
  dir: string,
  pkg: string,
  vuln: string,
  raw: Record<string, unknown>,
): Promise<void> {
  const o = raw as unknown as AdvisoryAddOptions;
  const event = eventFromOptions(o, pkg);
  const added = await addAdvisoryEvent({ dir, package: pkg, vulnerability: vuln, event });
  process.stdout.write(`${added.id}\n`);
}

/** The flags each event type takes; any other data flag is a usage error. */
const FLAGS: Record<AdvisoryEventType, readonly (keyof AdvisoryAddOptions)[]> = {
  detection: [
    'detectionType',
    'cpeSearched',
    'cpeFound',
    'subpackage',
    'componentId',
    'componentName',
    'componentVersion',
    'componentType',
    'componentLocation',
    'scanner',
  ],
  'true-positive-determination': ['note'],
  fixed: ['fixedVersion'],
  'false-positive-determination': ['fpType', 'note'],
  'pending-upstream-fix': ['note'],
  'fix-not-planned': ['note'],
  'analysis-not-planned': ['note'],
};

const DATA_FLAGS = [...new Set(Object.values(FLAGS).flat())];

/** The event the flags describe; throws USAGE naming the flag that is missing or misplaced. */
export function eventFromOptions(o: AdvisoryAddOptions, pkg: string): AdvisoryEvent {
  const type = o.event as AdvisoryEventType;
  if (!ADVISORY_EVENT_TYPES.includes(type))
    throw new LarderError(
      'USAGE',
      `--event '${o.event}': expected one of ${ADVISORY_EVENT_TYPES.join(', ')}`,
    );
  const stray = DATA_FLAGS.filter((f) => o[f] !== undefined && !FLAGS[type].includes(f));
  if (stray.length > 0)
    throw new LarderError('USAGE', `--event ${type} does not take ${stray.map(flagName).join(', ')}`);
  const timestamp = o.timestamp ?? defaultTimestamp();
  switch (type) {
    case 'fixed':
      return { timestamp, type, data: { fixedVersion: required(o, 'fixedVersion', type) } };
    case 'false-positive-determination': {
      const fpType = required(o, 'fpType', type);
      if (!(FALSE_POSITIVE_TYPES as readonly string[]).includes(fpType))
        throw new LarderError(
          'USAGE',
          `--fp-type '${fpType}': expected one of ${FALSE_POSITIVE_TYPES.join(', ')}`,
        );
      return {
        timestamp,
        type,
        data: { type: fpType as FalsePositiveType, ...(o.note !== undefined && { note: o.note }) },
      };
    }
    case 'true-positive-determination':
      return o.note === undefined ? { timestamp, type } : { timestamp, type, data: { note: o.note } };
    case 'pending-upstream-fix':
    case 'fix-not-planned':
    case 'analysis-not-planned':
      return { timestamp, type, data: { note: required(o, 'note', type) } };
    case 'detection':
      return { timestamp, type, data: detectionFromOptions(o, pkg) };
  }
}

function detectionFromOptions(o: AdvisoryAddOptions, pkg: string): Detection {
  const kind = o.detectionType ?? 'manual';
  const onlyFor = (flags: (keyof AdvisoryAddOptions)[], which: string) => {
    const stray = flags.filter((f) => o[f] !== undefined);
    if (stray.length > 0)
      throw new LarderError(
        'USAGE',
        `${stray.map(flagName).join(', ')}: only with --detection-type ${which}`,
      );
  };
  const scanFlags: (keyof AdvisoryAddOptions)[] = [
    'subpackage',
    'componentId',
    'componentName',
    'componentVersion',
    'componentType',
    'componentLocation',
    'scanner',
  ];
  switch (kind) {
    case 'manual':
      onlyFor(['cpeSearched', 'cpeFound'], 'nvdapi');
      onlyFor(scanFlags, 'scan/v1');
      return { type: 'manual' };
    case 'nvdapi':
      onlyFor(scanFlags, 'scan/v1');
      return {
        type: 'nvdapi',
        data: {
          cpeSearched: required(o, 'cpeSearched', 'nvdapi'),
          cpeFound: required(o, 'cpeFound', 'nvdapi'),
        },
      };
    case 'scan/v1': {
      onlyFor(['cpeSearched', 'cpeFound'], 'nvdapi');
      const componentName = required(o, 'componentName', 'scan/v1');
      const componentVersion = required(o, 'componentVersion', 'scan/v1');
      const componentType = required(o, 'componentType', 'scan/v1');
      const componentLocation = required(o, 'componentLocation', 'scan/v1');
      // Like syft's ids: a digest of what identifies the component.
      const componentID =
        o.componentId ??
        createHash('sha256')
          .update([componentName, componentVersion, componentType, componentLocation].join('\0'))
          .digest('hex')
          .slice(0, 16);
      return {
        type: 'scan/v1',
        data: {
          subpackageName: o.subpackage ?? pkg,
          componentID,
          componentName,
          componentVersion,
          componentType,
          componentLocation,
          scanner: o.scanner ?? 'grype',
        },
      };
    }
    default:
      throw new LarderError('USAGE', `--detection-type '${kind}': expected manual, nvdapi or scan/v1`);
  }
}

function required(o: AdvisoryAddOptions, flag: keyof AdvisoryAddOptions, what: string): string {
  const value = o[flag];
  if (value === undefined) throw new LarderError('USAGE', `${what} needs ${flagName(flag)}`);
  return value;
}

function flagName(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** SOURCE_DATE_EPOCH when set (reproducible edits), else now; Wolfi's second-precision UTC form. */
function defaultTimestamp(): string {
  const millis = process.env.SOURCE_DATE_EPOCH ? sourceDateEpoch() * 1000 : Date.now();
  return `${new Date(millis).toISOString().slice(0, 19)}Z`;
}
