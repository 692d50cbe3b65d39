// OpenVEX 0.2 documents from statements, deterministic but for the document timestamp.
import { hexDigest } from '../../core/index.js';
import type { VexDraft } from './draft.js';

/** Who states, and when. */
export interface VexDocumentOptions {
  /** OpenVEX `author` (required by the spec); default `larder`. */
  readonly author?: string;
  /** OpenVEX `role`. */
  readonly role?: string;
  /** Document time, RFC 3339 (`vexTimestamp()` reads SOURCE_DATE_EPOCH). */
  readonly timestamp: string;
  /** `larder <version>`. */
  readonly tooling: string;
}

export interface OpenVexStatementJson {
  vulnerability: { name: string; aliases?: string[] };
  timestamp?: string;
  products: { '@id': string; subcomponents?: { '@id': string }[] }[];
  status: string;
  status_notes?: string;
  justification?: string;
  impact_statement?: string;
  action_statement?: string;
}

export interface OpenVexDocumentJson {
  '@context': string;
  '@id': string;
  author: string;
  role?: string;
  timestamp: string;
  version: number;
  tooling: string;
  statements: OpenVexStatementJson[];
}

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/**
 * The OpenVEX document stating `drafts` (in their order). `@id` is
 * `https://openvex.dev/docs/public/vex-<sha256>` of the author and the statements, as vexctl
 * names documents, so the same statements by the same author keep their id. A `not_affected`
 * statement without justification or impact statement gets one saying no reason was given
 * (the spec requires one of them), an `affected` one without action statement likewise.
 */
export function toOpenVexDocument(
  drafts: readonly VexDraft[],
  options: VexDocumentOptions,
): OpenVexDocumentJson {
  const author = options.author ?? 'larder';
  const statements = drafts.map(statementJson);
  return {
    '@context': OPENVEX_CONTEXT,
    '@id': `https://openvex.dev/docs/public/vex-${hexDigest('sha256', JSON.stringify({ author, statements }))}`,
    author,
    ...(options.role === undefined ? {} : { role: options.role }),
    timestamp: options.timestamp,
    version: 1,
    tooling: options.tooling,
    statements,
  };
}

function statementJson(d: VexDraft): OpenVexStatementJson {
  const subcomponents = d.subcomponents.map((id) => ({ '@id': id }));
  const impact =
    d.status === 'not_affected' && d.justification === undefined && d.impactStatement === undefined
      ? 'not affected (no justification was given)'
      : d.impactStatement;
  const action =
    d.status === 'affected' && d.actionStatement === undefined
      ? 'no action statement was given'
      : d.actionStatement;
  return {
    vulnerability: { name: d.vulnerability, ...(d.aliases.length === 0 ? {} : { aliases: [...d.aliases] }) },
    ...(d.timestamp === undefined ? {} : { timestamp: d.timestamp }),
    products: d.products.map((id) =>
      subcomponents.length === 0 ? { '@id': id } : { '@id': id, subcomponents },
    ),
    status: d.status,
    ...(d.statusNotes === undefined ? {} : { status_notes: d.statusNotes }),
    ...(d.justification === undefined || d.status !== 'not_affected'
      ? {}
      : { justification: d.justification }),
    ...(impact === undefined || d.status !== 'not_affected' ? {} : { impact_statement: impact }),
    ...(action === undefined || d.status !== 'affected' ? {} : { action_statement: action }),
  };
}

/** The document time: SOURCE_DATE_EPOCH seconds when given, else now; whole seconds, UTC. */
export function vexTimestamp(epochSeconds: number | undefined, now: () => number = Date.now): string {
  const ms = epochSeconds === undefined ? now() : epochSeconds * 1000;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
