// OpenVEX 0.2 documents (and the 0.0.1 shapes still found in the wild: string vulnerabilities,
// string products, statement-level subcomponents) → model VEX statements, one per product.
import type { VexStatement } from '../model.js';
import { JsonFields, type JsonPath } from './json-fields.js';
import { OPENVEX_JUSTIFICATIONS, OPENVEX_STATUSES } from './vocabulary.js';

/** True when a parsed JSON value looks like an OpenVEX document (its `@context`). */
export function isOpenVexDocument(doc: unknown): boolean {
  const context = (doc as { '@context'?: unknown } | null)?.['@context'];
  return typeof context === 'string' && context.startsWith('https://openvex.dev/ns');
}

/**
 * The statements of an OpenVEX document. A statement with several products becomes one model
 * statement per product, so each product keeps its own subcomponents. A statement's timestamp
 * defaults to the document's. `not_affected` needs a justification or an impact statement
 * (the spec's MUST); a statement with no products is refused, as it would apply to nothing.
 */
export function readOpenVex(doc: unknown, file: string): VexStatement[] {
  const f = new JsonFields(file, 'VEX_INVALID');
  const root = f.object(doc, []);
  if (!isOpenVexDocument(root)) f.fail(['@context'], 'not an OpenVEX context (https://openvex.dev/ns/...)');
  const documentTime = f.optionalTimestamp(root.timestamp, ['timestamp']);
  const statements = f.array(root.statements, ['statements']);
  const out: VexStatement[] = [];
  statements.forEach((raw, i) => {
    out.push(...readStatement(f, raw, ['statements', i], documentTime));
  });
  return out;
}

function readStatement(
  f: JsonFields,
  raw: unknown,
  path: JsonPath,
  documentTime: string | undefined,
): VexStatement[] {
  const s = f.object(raw, path);
  const { name, aliases } = readVulnerability(f, s.vulnerability, [...path, 'vulnerability']);
  const status = f.oneOf(s.status, [...path, 'status'], OPENVEX_STATUSES);
  const justification =
    s.justification === undefined || s.justification === null
      ? undefined
      : f.oneOf(s.justification, [...path, 'justification'], OPENVEX_JUSTIFICATIONS);
  const impactStatement = f.optionalString(s.impact_statement, [...path, 'impact_statement']);
  const actionStatement = f.optionalString(s.action_statement, [...path, 'action_statement']);
  if (status === 'not_affected' && justification === undefined && impactStatement === undefined)
    f.fail(path, 'a not_affected statement needs a justification or an impact_statement');
  const timestamp = f.optionalTimestamp(s.timestamp, [...path, 'timestamp']) ?? documentTime;
  // 0.0.1: subcomponents listed beside the products, as strings.
  const shared = f
    .optionalArray(s.subcomponents, [...path, 'subcomponents'])
    .flatMap((c, j) => componentIds(f, c, [...path, 'subcomponents', j]));
  const products = f.array(s.products, [...path, 'products']);
  if (products.length === 0) f.fail([...path, 'products'], 'a statement with no products applies to nothing');
  const source = `${f.file}#${path.join('/')}`;
  return products.map((p, j) => {
    const at = [...path, 'products', j];
    const ids = componentIds(f, p, at);
    const own =
      typeof p === 'object' && p !== null
        ? f
            .optionalArray((p as Record<string, unknown>).subcomponents, [...at, 'subcomponents'])
            .flatMap((c, k) => componentIds(f, c, [...at, 'subcomponents', k]))
        : [];
    return {
      vulnerability: name,
      aliases,
      products: ids,
      subcomponents: unique([...own, ...shared]),
      status,
      ...(justification === undefined ? {} : { justification }),
      ...(impactStatement === undefined ? {} : { impactStatement }),
      ...(actionStatement === undefined ? {} : { actionStatement }),
      ...(timestamp === undefined ? {} : { timestamp }),
      source: products.length === 1 ? source : `${source}/products/${j}`,
    };
  });
}

/** `{name, @id, aliases}` (0.2) or a bare id string (0.0.1). */
function readVulnerability(f: JsonFields, raw: unknown, path: JsonPath): { name: string; aliases: string[] } {
  if (typeof raw === 'string') return { name: f.string(raw, path), aliases: [] };
  const v = f.object(raw, path);
  const iri = f.optionalString(v['@id'], [...path, '@id']);
  const named = f.optionalString(v.name, [...path, 'name']);
  const name = named ?? (iri === undefined ? undefined : idOfIri(iri));
  if (name === undefined) f.fail(path, 'a vulnerability needs a name or an @id');
  const aliases = f
    .optionalArray(v.aliases, [...path, 'aliases'])
    .map((a, i) => f.string(a, [...path, 'aliases', i]));
  // An @id such as https://nvd.nist.gov/vuln/detail/CVE-2025-5702 names the vulnerability too.
  const fromIri = iri === undefined || idOfIri(iri) === iri ? [] : [idOfIri(iri)];
  return { name, aliases: unique([...aliases, ...fromIri]).filter((a) => a !== name) };
}

/** The identifiers of a product or subcomponent: `@id`, purl, CPEs and `sha256:` digests. */
function componentIds(f: JsonFields, raw: unknown, path: JsonPath): string[] {
  if (typeof raw === 'string') return [f.string(raw, path)];
  const c = f.object(raw, path);
  const ids: string[] = [];
  const id = f.optionalString(c['@id'], [...path, '@id']);
  if (id !== undefined) ids.push(id);
  if (c.identifiers !== undefined && c.identifiers !== null) {
    const identifiers = f.object(c.identifiers, [...path, 'identifiers']);
    for (const key of ['purl', 'cpe22', 'cpe23']) {
      const value = f.optionalString(identifiers[key], [...path, 'identifiers', key]);
      if (value !== undefined) ids.push(value);
    }
  }
  if (c.hashes !== undefined && c.hashes !== null) {
    const hashes = f.object(c.hashes, [...path, 'hashes']);
    for (const [algorithm, digest] of Object.entries(hashes)) {
      const hex = f.string(digest, [...path, 'hashes', algorithm]);
      ids.push(`${algorithm.replace('-', '')}:${hex.toLowerCase()}`);
    }
  }
  if (ids.length === 0) f.fail(path, 'a component needs an @id, identifiers or hashes');
  return unique(ids);
}

/** The last path segment of an IRI when it looks like a vulnerability id, else the IRI. */
function idOfIri(iri: string): string {
  const last =
    iri
      .replace(/[/#]+$/, '')
      .split(/[/#]/)
      .pop() ?? iri;
  return /^[A-Za-z]+-[\w.-]+$/.test(last) && /\d/.test(last) ? last : iri;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
