/**
 * Positions in an advisory file. Documents are read as plain data first (fast); only when
 * there is a problem to report is the text parsed again with the `yaml` library, whose nodes
 * know their offsets, to turn a data path back into a line and column.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import { type AdvisoryIssue, formatPath, type PathSegment } from './issues.js';

/** A positioned parse of one file. */
export interface YamlPlaces {
  readonly file: string;
  /** Syntax problems the `yaml` library found. */
  readonly syntaxIssues: readonly AdvisoryIssue[];
  /** An issue at the first alias (`*name`) of the document. */
  aliasIssue(message: string): AdvisoryIssue;
  /** An issue at the node for `path`; `at: 'key'` places it at the key of the last segment. */
  issue(path: readonly PathSegment[], message: string, at?: 'value' | 'key'): AdvisoryIssue;
}

/** Parses `text` once with positions. */
export function yamlPlaces(text: string, file: string): YamlPlaces {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const placed = (node: Node | undefined, path: readonly PathSegment[], message: string): AdvisoryIssue => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col, path: formatPath(path), message };
  };
  const syntaxIssues = doc.errors.map((err) => {
    const { line, col } = lines.linePos(err.pos[0]);
    const message = err.code === 'MULTIPLE_DOCS' ? 'an advisory file is one YAML document' : err.message;
    return { file, line, column: col, path: '', message: firstLine(message) };
  });
  return {
    file,
    syntaxIssues,
    aliasIssue(message) {
      let alias: Node | undefined;
      visit(doc, {
        Alias(_, node) {
          alias = node;
          return visit.BREAK;
        },
      });
      return placed(alias, [], message);
    },
    issue(path, message, at = 'value') {
      return placed(
        at === 'key' ? keyNode(doc.contents, path) : valueNode(doc.contents, path),
        path,
        message,
      );
    },
  };
}

/**
 * The node for a path, or the deepest node on the way when the path leaves the document. A
 * collection value is reported at its key (`events:` rather than its first item).
 */
function valueNode(root: unknown, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = root;
  let key: unknown;
  for (const segment of path) {
    const next = childPair(node, segment);
    if (next === undefined) return asNode(key) ?? asNode(node);
    key = next.key;
    node = next.value;
  }
  if ((isMap(node) || isSeq(node) || node === null) && asNode(key) !== undefined) return asNode(key);
  return asNode(node) ?? asNode(key);
}

/** The key node of the last segment (for unknown keys), else the value's place. */
function keyNode(root: unknown, path: readonly PathSegment[]): Node | undefined {
  const parent = path.slice(0, -1).reduce<unknown>((node, s) => childPair(node, s)?.value, root);
  const last = path[path.length - 1];
  const pair = last === undefined ? undefined : childPair(parent, last);
  return asNode(pair?.key) ?? valueNode(root, path.slice(0, -1));
}

function childPair(node: unknown, segment: PathSegment): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    return pair === undefined ? undefined : { key: pair.key, value: pair.value };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

function asNode(value: unknown): Node | undefined {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value) ? value : undefined;
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}
