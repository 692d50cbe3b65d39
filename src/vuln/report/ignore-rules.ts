// Ignore-rules files (`--ignore FILE`): YAML, a list of rules (or grype's `ignore:` key holding
// one). Every field a rule sets must match a finding for the rule to suppress it; `reason` is
// required. Problems are all reported at once, each at its file:line:column.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { LarderError } from '../../core/index.js';
import type { FixState } from '../model.js';
import { compileGlob } from './glob.js';
import { PACKAGE_TYPE } from './severity.js';

/** One rule as read. */
export interface IgnoreRule {
  /** An id; with `includeAliases`, any alias of the finding may equal it too. */
  readonly vulnerability?: string;
  readonly includeAliases: boolean;
  readonly package?: {
    readonly name?: string;
    readonly version?: string;
    /** A syft package type (`apk`, `go-module`...) or an ecosystem name (`go`, `pypi`...). */
    readonly type?: string;
    /** A glob over the package's evidence paths. */
    readonly location?: string;
    /** The APK origin. */
    readonly upstreamName?: string;
  };
  readonly fixState?: FixState;
  readonly reason: string;
  /** `file:line:column` of the rule. */
  readonly source: string;
}

const FIX_STATES: readonly FixState[] = ['fixed', 'not-fixed', 'wont-fix', 'unknown'];
const RULE_KEYS = ['vulnerability', 'include-aliases', 'package', 'fix-state', 'reason'];
const PACKAGE_KEYS = ['name', 'version', 'type', 'location', 'upstream-name'];
const TYPES = [...new Set([...Object.values(PACKAGE_TYPE), ...Object.keys(PACKAGE_TYPE)])];

/** Parses an ignore-rules file; IGNORE_RULES_INVALID lists every problem with its line:column. */
export function parseIgnoreRules(text: string, file: string): IgnoreRule[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: string[] = [];
  const at = (node: Node | null | undefined) => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return `${file}:${line}:${col}`;
  };
  const problem = (node: Node | null | undefined, message: string) =>
    problems.push(`${at(node)}: ${message}`);
  for (const err of doc.errors) {
    const { line, col } = lines.linePos(err.pos[0]);
    problems.push(
      `${file}:${line}:${col}: ${err.code === 'MULTIPLE_DOCS' ? 'one YAML document expected' : err.message}`,
    );
  }
  if (problems.length > 0) throw invalid(file, problems);
  let list = doc.contents as Node | null;
  if (isMap(list)) {
    for (const pair of list.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'ignore')
        problem(
          pair.key as Node,
          `unknown key '${key}' (expected a list of rules, or 'ignore:' holding one)`,
        );
    }
    list = (list.get('ignore', true) as Node | undefined) ?? null;
  }
  const rules: IgnoreRule[] = [];
  if (list === null || (isScalar(list) && list.value === null)) {
    if (problems.length > 0) throw invalid(file, problems);
    return rules;
  }
  if (!isSeq(list)) {
    problem(list, 'expected a list of rules');
    throw invalid(file, problems);
  }
  for (const item of list.items) {
    const rule = readRule(item as Node, at, problem);
    if (rule !== undefined) rules.push(rule);
  }
  if (problems.length > 0) throw invalid(file, problems);
  return rules;
}

type Problem = (node: Node | null | undefined, message: string) => void;

function readRule(node: Node, at: (node: Node) => string, problem: Problem): IgnoreRule | undefined {
  if (!isMap(node)) {
    problem(node, 'a rule is a mapping (vulnerability, package, fix-state, reason, include-aliases)');
    return undefined;
  }
  unknownKeys(node, RULE_KEYS, problem);
  const vulnerability = text(node, 'vulnerability', problem);
  const reason = text(node, 'reason', problem);
  if (reason === undefined && node.get('reason', true) === undefined)
    problem(node, "a rule needs a 'reason'");
  const includeAliases = node.get('include-aliases', true) as Node | undefined;
  if (
    includeAliases !== undefined &&
    !(isScalar(includeAliases) && typeof includeAliases.value === 'boolean')
  )
    problem(includeAliases, "'include-aliases' is true or false");
  const fixNode = node.get('fix-state', true) as Node | undefined;
  const fixState = text(node, 'fix-state', problem);
  if (fixState !== undefined && !(FIX_STATES as readonly string[]).includes(fixState))
    problem(fixNode, `'fix-state' value '${fixState}' is not one of ${FIX_STATES.join(', ')}`);
  const pkg = readPackage(node.get('package', true) as Node | undefined, problem);
  if (!node.has('vulnerability') && !node.has('fix-state') && !node.has('package'))
    problem(
      node,
      'a rule must set vulnerability, package or fix-state (a rule that matches everything hides everything)',
    );
  if (reason === undefined) return undefined;
  return {
    ...(vulnerability === undefined ? {} : { vulnerability }),
    includeAliases: isScalar(includeAliases) && includeAliases.value === true,
    ...(pkg === undefined ? {} : { package: pkg }),
    ...(fixState === undefined ? {} : { fixState: fixState as FixState }),
    reason,
    source: at(node),
  };
}

function readPackage(node: Node | undefined, problem: Problem): IgnoreRule['package'] {
  if (node === undefined) return undefined;
  if (!isMap(node)) {
    problem(node, `'package' is a mapping of ${PACKAGE_KEYS.join(', ')}`);
    return undefined;
  }
  unknownKeys(node, PACKAGE_KEYS, problem);
  const name = text(node, 'name', problem);
  const version = text(node, 'version', problem);
  const type = text(node, 'type', problem);
  if (type !== undefined && !TYPES.includes(type))
    problem(node.get('type', true) as Node, `'type' value '${type}' is not one of ${TYPES.join(', ')}`);
  const location = text(node, 'location', problem);
  if (location !== undefined) {
    const glob = compileGlob(location);
    if (typeof glob !== 'function')
      problem(node.get('location', true) as Node, `'location' glob '${location}': ${glob.problem}`);
  }
  const upstreamName = text(node, 'upstream-name', problem);
  const out = {
    ...(name === undefined ? {} : { name }),
    ...(version === undefined ? {} : { version }),
    ...(type === undefined ? {} : { type }),
    ...(location === undefined ? {} : { location }),
    ...(upstreamName === undefined ? {} : { upstreamName }),
  };
  if (Object.keys(out).length === 0) {
    problem(node, "'package' sets none of its fields");
    return undefined;
  }
  return out;
}

/** A string field; numbers keep their source text (`version: 1.0` is '1.0'). */
function text(map: YAMLMap, key: string, problem: Problem): string | undefined {
  const node = map.get(key, true) as Node | undefined;
  if (node === undefined) return undefined;
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    if (typeof node.value === 'number' && typeof node.source === 'string') return node.source;
  }
  problem(node, `'${key}' must be a non-empty string`);
  return undefined;
}

function unknownKeys(map: YAMLMap, allowed: readonly string[], problem: Problem): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!allowed.includes(key))
      problem(pair.key as Node, `unknown key '${key}' (known: ${allowed.join(', ')})`);
  }
}

function invalid(file: string, problems: readonly string[]): LarderError {
  const [first, ...rest] = problems;
  const more = rest.length === 0 ? '' : `\n${rest.map((p) => `  ${p}`).join('\n')}`;
  return new LarderError('IGNORE_RULES_INVALID', `${first}${more}`, { subject: file });
}
