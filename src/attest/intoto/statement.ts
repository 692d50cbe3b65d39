import { LarderError } from '../../core/index.js';

export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
/** What cosign's legacy generator writes; accepted when reading. */
export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
/** The only DSSE payload type cosign accepts for attestations. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** An in-toto ResourceDescriptor (the fields larder writes; others are kept when read). */
export interface ResourceDescriptor {
  readonly name?: string;
  readonly uri?: string;
  readonly digest?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export interface Statement {
  readonly _type: string;
  readonly subject: readonly ResourceDescriptor[];
  readonly predicateType: string;
  readonly predicate: Readonly<Record<string, unknown>>;
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** The subject for an image: `{name, digest: {sha256: <hex without prefix>}}`. */
export function imageSubject(name: string, manifestDigest: string): ResourceDescriptor {
  const m = DIGEST.exec(manifestDigest);
  if (m === null)
    throw new LarderError('USAGE', `manifest digest '${manifestDigest}': expected sha256:<64 hex>`);
  return { name, digest: { sha256: m[1] as string } };
}

/** A v1 Statement; refuses an empty subject list or a subject without digests. */
export function makeStatement(
  subject: readonly ResourceDescriptor[],
  predicateType: string,
  predicate: Readonly<Record<string, unknown>> = {},
): Statement {
  if (subject.length === 0) throw new LarderError('STATEMENT_INVALID', 'in-toto statement: no subject');
  subject.forEach((s, i) => {
    if (s.digest === undefined || Object.keys(s.digest).length === 0) {
      throw new LarderError('STATEMENT_INVALID', `in-toto statement: subject[${i}] has no digest`);
    }
  });
  return { _type: STATEMENT_V1, subject, predicateType, predicate };
}

/** Compact JSON, fields in the order `_type`, `subject`, `predicateType`, `predicate`. */
export function serializeStatement(statement: Statement): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: statement._type,
      subject: statement.subject,
      predicateType: statement.predicateType,
      predicate: statement.predicate,
    }),
    'utf8',
  );
}

function invalid(message: string, cause?: unknown): LarderError {
  return new LarderError(
    'STATEMENT_INVALID',
    `in-toto statement: ${message}`,
    cause === undefined ? {} : { cause },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Parses Statement bytes (v1 or v0.1); unknown fields are kept; STATEMENT_INVALID otherwise. */
export function parseStatement(bytes: Uint8Array): Statement {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw invalid('not JSON', err);
  }
  if (!isObject(doc)) throw invalid('not a JSON object');
  const { _type, subject, predicateType, predicate } = doc;
  if (_type !== STATEMENT_V1 && _type !== STATEMENT_V01)
    throw invalid(`_type '${String(_type)}' is not an in-toto Statement`);
  if (!Array.isArray(subject) || subject.length === 0) throw invalid('subject is not a non-empty array');
  subject.forEach((s: unknown, i) => {
    if (!isObject(s) || !isObject(s.digest)) throw invalid(`subject[${i}] has no digest map`);
    for (const [alg, hex] of Object.entries(s.digest)) {
      if (typeof hex !== 'string') throw invalid(`subject[${i}].digest.${alg} is not a string`);
    }
  });
  if (typeof predicateType !== 'string' || predicateType === '')
    throw invalid('predicateType is not a string');
  if (predicate !== undefined && !isObject(predicate)) throw invalid('predicate is not an object');
  return { _type, subject: subject as ResourceDescriptor[], predicateType, predicate: predicate ?? {} };
}

/** True when some subject's sha256 digest is the image digest `sha256:<hex>` (names are not compared). */
export function statementCoversDigest(statement: Statement, manifestDigest: string): boolean {
  return statement.subject.some(
    (s) => s.digest?.sha256 !== undefined && `sha256:${s.digest.sha256}` === manifestDigest,
  );
}
