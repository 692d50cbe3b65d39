import { LarderError } from '../../core/index.js';
import type { ResourceDescriptor } from './statement.js';

export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** Inputs of a SLSA provenance v1 predicate. */
export interface ProvenanceInput {
  readonly builderId: string;
  readonly buildType: string;
  readonly externalParameters: Readonly<Record<string, unknown>>;
  readonly internalParameters?: Readonly<Record<string, unknown>>;
  readonly resolvedDependencies?: readonly ResourceDescriptor[];
  readonly builderVersion?: Readonly<Record<string, string>>;
  readonly invocationId?: string;
  readonly startedOn?: Date;
  readonly finishedOn?: Date;
  /**
   * The SOURCE_DATE_EPOCH value, if set: it replaces both timestamps so the predicate is
   * reproducible.
   */
  readonly sourceDateEpoch?: string;
}

/** `YYYY-MM-DDThh:mm:ssZ` (no fraction), the form SLSA examples use. */
function timestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new LarderError('USAGE', 'provenance: invalid date');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function epochDate(value: string): Date {
  if (!/^\d{1,12}$/.test(value)) {
    throw new LarderError('USAGE', `SOURCE_DATE_EPOCH '${value}': not a whole number of seconds`);
  }
  return new Date(Number(value) * 1000);
}

/** Builds the predicate object (pure: no clock, no environment). Optional parts appear only when given. */
export function slsaProvenanceV1(input: ProvenanceInput): Record<string, unknown> {
  for (const [field, value] of [
    ['builderId', input.builderId],
    ['buildType', input.buildType],
  ] as const) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value))
      throw new LarderError('USAGE', `provenance ${field} '${value}': not a URI`);
  }
  (input.resolvedDependencies ?? []).forEach((d, i) => {
    if (d.uri === undefined && d.digest === undefined && d.content === undefined) {
      throw new LarderError('USAGE', `provenance resolvedDependencies[${i}]: needs uri, digest or content`);
    }
  });
  const epoch = input.sourceDateEpoch === undefined ? undefined : epochDate(input.sourceDateEpoch);
  const startedOn = epoch ?? input.startedOn;
  const finishedOn = epoch ?? input.finishedOn;
  const buildDefinition: Record<string, unknown> = {
    buildType: input.buildType,
    externalParameters: input.externalParameters,
  };
  if (input.internalParameters !== undefined) buildDefinition.internalParameters = input.internalParameters;
  if (input.resolvedDependencies !== undefined && input.resolvedDependencies.length > 0) {
    buildDefinition.resolvedDependencies = input.resolvedDependencies;
  }
  const builder: Record<string, unknown> = { id: input.builderId };
  if (input.builderVersion !== undefined) builder.version = input.builderVersion;
  const metadata: Record<string, unknown> = {};
  if (input.invocationId !== undefined) metadata.invocationId = input.invocationId;
  if (startedOn !== undefined) metadata.startedOn = timestamp(startedOn);
  if (finishedOn !== undefined) metadata.finishedOn = timestamp(finishedOn);
  const runDetails: Record<string, unknown> = { builder };
  if (Object.keys(metadata).length > 0) runDetails.metadata = metadata;
  return { buildDefinition, runDetails };
}
