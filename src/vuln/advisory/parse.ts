/**
 * One `<package>.advisories.yaml` text → an AdvisoryDocument, or every problem in it, each at
 * `file:line:column`. Never throws for bad input.
 */
import { basename } from 'node:path';
import type { AdvisoryIssue, PathSegment } from './issues.js';
import { type Advisory, type AdvisoryDocument, type AdvisoryEvent, advisoryFileName } from './model.js';
import { loadPlainYaml, type Plain } from './plain-yaml.js';
import { type DocumentData, documentSchema } from './schema.js';
import { type YamlPlaces, yamlPlaces } from './yaml-places.js';
import { placeZodIssues } from './zod-places.js';

/** What parsing gave: the document when it is valid, every problem, and a way to place more. */
export interface ParsedAdvisoryText {
  readonly document?: AdvisoryDocument;
  readonly issues: readonly AdvisoryIssue[];
  /** Places a problem found later (e.g. an id also used in another file) in this file. */
  readonly place: (path: readonly PathSegment[], message: string) => AdvisoryIssue;
}

/** Parses and validates one document's text; `file` names it in issues and must match the package. */
export function parseAdvisoryText(text: string, file: string): ParsedAdvisoryText {
  let built: YamlPlaces | undefined;
  const places = (): YamlPlaces => {
    built ??= yamlPlaces(text, file);
    return built;
  };
  const place = (path: readonly PathSegment[], message: string) => places().issue(path, message);
  const fail = (issues: AdvisoryIssue[]): ParsedAdvisoryText => ({ issues, place });

  const loaded = loadPlainYaml(text);
  if ('error' in loaded) {
    const syntax = places().syntaxIssues;
    if (syntax.length > 0) return fail([...syntax]);
    return fail([{ file, line: loaded.line, column: loaded.column, path: '', message: loaded.error }]);
  }
  if ('shared' in loaded)
    return fail([
      places().aliasIssue('YAML aliases of mappings or lists (*name) are not allowed in advisory files'),
    ]);
  const data = loaded.data;
  if (data === null) return fail([{ file, line: 1, column: 1, path: '', message: 'the file is empty' }]);
  if (typeof data !== 'object' || Array.isArray(data))
    return fail([place([], 'expected a mapping of schema-version, package and advisories')]);
  // Shape problems (zod) and cross-field problems are both reported, whichever fail.
  const parsed = documentSchema.safeParse(data);
  const problems = documentProblems(data, file).map((p) => place(p.path, p.message));
  if (!parsed.success) return fail([...placeZodIssues(places(), data, parsed.error), ...problems]);
  if (problems.length > 0) return fail(problems);
  return { document: toDocument(parsed.data, file), issues: [], place };
}

/** A problem at a data path, placed later. */
interface PathProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/**
 * Checks across fields, on plain data of any shape (parts of the wrong shape are skipped; the
 * schema reports those): the file name, ids unique within the document, aliases unique.
 */
function documentProblems(data: { [key: string]: Plain }, file: string): PathProblem[] {
  const problems: PathProblem[] = [];
  const pkg = data.package;
  const name = isRecord(pkg) && typeof pkg.name === 'string' ? pkg.name : undefined;
  if (name !== undefined && name !== '' && basename(file) !== advisoryFileName(name))
    problems.push({
      path: ['package', 'name'],
      message: `package '${name}' must be in a file named ${advisoryFileName(name)}, not ${basename(file)}`,
    });
  const advisories = Array.isArray(data.advisories) ? data.advisories : [];
  const idAt = new Map<string, number>();
  const aliasAt = new Map<string, number>();
  for (const [i, adv] of advisories.entries()) {
    if (!isRecord(adv)) continue;
    const id = typeof adv.id === 'string' ? adv.id : undefined;
    const first = id === undefined ? undefined : idAt.get(id);
    if (id !== undefined && first !== undefined)
      problems.push({
        path: ['advisories', i, 'id'],
        message: `duplicate advisory id ${id} (also advisories[${first}])`,
      });
    else if (id !== undefined) idAt.set(id, i);
    const aliases = Array.isArray(adv.aliases) ? adv.aliases : [];
    for (const [j, alias] of aliases.entries()) {
      if (typeof alias !== 'string') continue;
      const path = ['advisories', i, 'aliases', j];
      const owner = aliasAt.get(alias);
      if (owner === i) problems.push({ path, message: `alias ${alias} is listed twice` });
      else if (owner !== undefined)
        problems.push({ path, message: `alias ${alias} is also an alias of advisories[${owner}]` });
      else aliasAt.set(alias, i);
    }
  }
  return problems;
}

function isRecord(value: Plain | undefined): value is { [key: string]: Plain } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDocument(data: DocumentData, file: string): AdvisoryDocument {
  const advisories: Advisory[] = data.advisories.map((adv) => ({
    id: adv.id,
    aliases: adv.aliases ?? [],
    events: adv.events satisfies readonly AdvisoryEvent[],
  }));
  return { file, schemaVersion: data['schema-version'], package: { name: data.package.name }, advisories };
}
