/**
 * A parsed YAML file that remembers where each node came from, so problems found later (by
 * zod, on plain data) can be reported at `file:line:column`.
 */
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
} from 'yaml';
import type { ConfigIssue, PathSegment } from './issues.js';
import { formatPath } from './issues.js';

/** A YAML document with its file name and a way to turn offsets into line:column. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses YAML the way apko's yaml.v3 decoder sees it; syntax errors come back as issues. */
export function parseYamlSource(text: string, file: string): { source: YamlSource; issues: ConfigIssue[] } {
  const lines = new LineCounter();
  // merge: yaml.v3 honours `<<` merge keys; uniqueKeys: it rejects duplicate keys too.
  const doc = parseDocument(text, { lineCounter: lines, merge: true, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, doc, lines };
  const issues = doc.errors.map((err) => {
    const { line, col } = lines.linePos(err.pos[0]);
    const message =
      err.code === 'MULTIPLE_DOCS'
        ? 'a config is one YAML document (apko reads only the first)'
        : err.message;
    return { file, line, column: col, path: '', message };
  });
  return { source, issues };
}

/** The node at a path, or the deepest node on the way when the path leaves the document. */
export function nodeAt(source: YamlSource, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    const next = childOf(node, segment);
    if (next === undefined) break;
    node = next;
  }
  return isNodeLike(node) ? node : undefined;
}

/**
 * Where to report a problem with the value at `path`: the value itself for scalars and list
 * entries, the key for a mapping's collection value (`packages:` rather than its first item).
 */
export function placeOf(source: YamlSource, path: readonly PathSegment[]): Node | undefined {
  const last = path[path.length - 1];
  const value = nodeAt(source, path);
  if (typeof last !== 'string') return value;
  const parent = nodeAt(source, path.slice(0, -1));
  if (!isMap(parent)) return value;
  const pair = parent.items.find((item) => isPair(item) && scalarKey(item.key) === last);
  if (pair === undefined) return value;
  const isCollection = isMap(pair.value) || isSeq(pair.value);
  return isCollection || pair.value === null ? (isNodeLike(pair.key) ? pair.key : value) : value;
}

/** The key node of `key` in the map at `path` (for unknown-key reports). */
export function keyNodeAt(source: YamlSource, path: readonly PathSegment[], key: string): Node | undefined {
  const map = nodeAt(source, path);
  if (!isMap(map)) return map;
  const pair = map.items.find((item) => isPair(item) && scalarKey(item.key) === key);
  return isNodeLike(pair?.key) ? pair.key : map;
}

/** An issue placed at a node (line and column of its first character). */
export function issueAt(
  source: YamlSource,
  node: Node | undefined,
  path: readonly PathSegment[],
  message: string,
): ConfigIssue {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = source.lines.linePos(offset);
  return { file: source.file, line, column: col, path: formatPath(path), message };
}

/** The source text of a scalar (`1.0` stays `1.0`), when the node is one. */
export function scalarSource(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}

function childOf(node: unknown, segment: PathSegment): unknown {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && scalarKey(item.key) === String(segment));
    return pair?.value ?? undefined;
  }
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  return undefined;
}

function scalarKey(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function isNodeLike(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}
