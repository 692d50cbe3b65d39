// CycloneDX 1.4-1.6 VEX (a BOM's `vulnerabilities[]` with `analysis`) → model VEX statements.
import type { VexStatement } from '../model.js';
import { JsonFields, type JsonPath } from './json-fields.js';
import {
  CDX_JUSTIFICATIONS,
  CDX_RESPONSES,
  CDX_STATES,
  OPENVEX_OF_CDX_JUSTIFICATION,
  STATUS_OF_CDX_STATE,
} from './vocabulary.js';

const SPEC_VERSIONS = ['1.4', '1.5', '1.6'] as const;

/** True when a parsed JSON value is a CycloneDX BOM. */
export function isCycloneDxDocument(doc: unknown): boolean {
  return (doc as { bomFormat?: unknown } | null)?.bomFormat === 'CycloneDX';
}

/**
 * The VEX statements of a CycloneDX BOM: one per vulnerability that carries an
 * `analysis.state` (a vulnerability without one states nothing about exploitability and is
 * skipped). `affects[].ref` is resolved to the purl of the component with that `bom-ref`; a
 * BOM-Link (`urn:cdx:...#ref`) keeps its fragment. States map as exploitable → affected,
 * resolved → fixed, in_triage → under_investigation, false_positive and not_affected →
 * not_affected (a false positive with no justification is `component_not_present`); the
 * per-version `affects[].versions` list is not read.
 */
export function readCycloneDxVex(doc: unknown, file: string): VexStatement[] {
  const f = new JsonFields(file, 'VEX_INVALID');
  const root = f.object(doc, []);
  if (!isCycloneDxDocument(root))
    f.fail(['bomFormat'], `expected 'CycloneDX', found ${String(root.bomFormat)}`);
  f.oneOf(root.specVersion, ['specVersion'], SPEC_VERSIONS);
  const metadata =
    root.metadata === undefined || root.metadata === null ? {} : f.object(root.metadata, ['metadata']);
  const documentTime = f.optionalTimestamp(metadata.timestamp, ['metadata', 'timestamp']);
  const purls = componentPurls(f, root, metadata);
  const vulnerabilities = f.array(root.vulnerabilities, ['vulnerabilities']);
  const out: VexStatement[] = [];
  vulnerabilities.forEach((raw, i) => {
    const statement = readVulnerability(f, raw, ['vulnerabilities', i], purls, documentTime);
    if (statement !== undefined) out.push(statement);
  });
  return out;
}

function readVulnerability(
  f: JsonFields,
  raw: unknown,
  path: JsonPath,
  purls: ReadonlyMap<string, string>,
  documentTime: string | undefined,
): VexStatement | undefined {
  const v = f.object(raw, path);
  const id = f.string(v.id, [...path, 'id']);
  if (v.analysis === undefined || v.analysis === null) return undefined;
  const analysis = f.object(v.analysis, [...path, 'analysis']);
  if (analysis.state === undefined || analysis.state === null) return undefined;
  const state = f.oneOf(analysis.state, [...path, 'analysis', 'state'], CDX_STATES);
  const justification =
    analysis.justification === undefined || analysis.justification === null
      ? undefined
      : f.oneOf(analysis.justification, [...path, 'analysis', 'justification'], CDX_JUSTIFICATIONS);
  const responses = f
    .optionalArray(analysis.response, [...path, 'analysis', 'response'])
    .map((r, j) => f.oneOf(r, [...path, 'analysis', 'response', j], CDX_RESPONSES));
  const detail = f.optionalString(analysis.detail, [...path, 'analysis', 'detail']);
  const aliases = f.optionalArray(v.references, [...path, 'references']).map((r, j) => {
    const at = [...path, 'references', j];
    return f.string(f.object(r, at).id, [...at, 'id']);
  });
  const affects = f.array(v.affects, [...path, 'affects']);
  if (affects.length === 0)
    f.fail([...path, 'affects'], 'a vulnerability that affects nothing states nothing');
  const products = affects.map((a, j) => {
    const at = [...path, 'affects', j];
    const ref = f.string(f.object(a, at).ref, [...at, 'ref']);
    return purls.get(ref) ?? bomLinkFragment(ref) ?? ref;
  });
  const status = STATUS_OF_CDX_STATE[state];
  const openVexJustification =
    justification !== undefined
      ? OPENVEX_OF_CDX_JUSTIFICATION[justification]
      : state === 'false_positive'
        ? 'component_not_present'
        : undefined;
  const action =
    status === 'affected'
      ? (detail ?? (responses.length > 0 ? `response: ${responses.join(', ')}` : undefined))
      : undefined;
  const timestamp =
    f.optionalTimestamp(analysis.lastUpdated, [...path, 'analysis', 'lastUpdated']) ??
    f.optionalTimestamp(analysis.firstIssued, [...path, 'analysis', 'firstIssued']) ??
    f.optionalTimestamp(v.updated, [...path, 'updated']) ??
    f.optionalTimestamp(v.published, [...path, 'published']) ??
    documentTime;
  return {
    vulnerability: id,
    aliases: [...new Set(aliases)].filter((a) => a !== id),
    products: [...new Set(products)],
    subcomponents: [],
    status,
    ...(openVexJustification === undefined ? {} : { justification: openVexJustification }),
    ...(status === 'not_affected' && detail !== undefined ? { impactStatement: detail } : {}),
    ...(action === undefined ? {} : { actionStatement: action }),
    ...(timestamp === undefined ? {} : { timestamp }),
    source: `${f.file}#${path.join('/')}`,
  };
}

/** bom-ref → purl (or the bom-ref itself when the component has no purl), over nested components. */
function componentPurls(
  f: JsonFields,
  root: Record<string, unknown>,
  metadata: Record<string, unknown>,
): Map<string, string> {
  const purls = new Map<string, string>();
  // An explicit stack, and paths kept as parent links until an error needs one: nesting depth
  // comes from the input and must neither exhaust the call stack nor cost depth² copies.
  const stack: { raw: unknown; at: PathLink }[] = [];
  if (metadata.component !== undefined && metadata.component !== null)
    stack.push({ raw: metadata.component, at: { parent: { key: 'metadata' }, key: 'component' } });
  const top = f.optionalArray(root.components, ['components']);
  for (let i = top.length - 1; i >= 0; i--)
    stack.push({ raw: top[i], at: { parent: { key: 'components' }, key: i } });
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const at = item.at;
    const raw = item.raw;
    const c = isObject(raw) ? raw : f.object(raw, pathOf(at));
    const ref = optionalText(f, c['bom-ref'], at, 'bom-ref');
    const purl = optionalText(f, c.purl, at, 'purl');
    if (ref !== undefined) purls.set(ref, purl ?? ref);
    if (c.components === undefined || c.components === null) continue;
    const list = Array.isArray(c.components)
      ? c.components
      : f.array(c.components, [...pathOf(at), 'components']);
    const parent: PathLink = { parent: at, key: 'components' };
    for (let i = list.length - 1; i >= 0; i--) stack.push({ raw: list[i], at: { parent, key: i } });
  }
  return purls;
}

/** An optional string field; its path is built only when it is bad. */
function optionalText(f: JsonFields, value: unknown, at: PathLink, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && value.trim() !== '' ? value : f.string(value, [...pathOf(at), key]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface PathLink {
  readonly parent?: PathLink;
  readonly key: string | number;
}

function pathOf(link: PathLink): JsonPath {
  const path: (string | number)[] = [];
  for (let at: PathLink | undefined = link; at !== undefined; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** `urn:cdx:<serial>/<version>#<bom-ref>` → the (decoded) bom-ref of the other BOM. */
function bomLinkFragment(ref: string): string | undefined {
  if (!ref.startsWith('urn:cdx:')) return undefined;
  const hash = ref.indexOf('#');
  if (hash < 0) return undefined;
  try {
    return decodeURIComponent(ref.slice(hash + 1));
  } catch {
    return ref.slice(hash + 1);
  }
}
