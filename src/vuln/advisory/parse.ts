/**
 * One `<package>.advisories.yaml` text → an AdvisoryDocument, or every problem in it, each at
 * `file:line:column`. Never throws for bad input.
 */
import { basename } from 'node:path';
import type { AdvisoryIssue, PathSegment } from './issues.js';
import { type Advisory, type AdvisoryDocument, type AdvisoryEvent, advisoryFileName } from './model.js';
import { loadPlainYaml } from './plain-yaml.js';
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
  const data = loaded.data;
  if (data === null) return fail([{ file, line: 1, column: 1, path: '', message: 'the file is empty' }]);
  if (typeof data !== 'object' || Array.isArray(data))
    return fail([place([], 'expected a mapping of schema-version, package and advisories')]);
  const parsed = documentSchema.safeParse(data);
  if (!parsed.success) return fail(placeZodIssues(places(), data, parsed.error));
  const problems = documentProblems(parsed.data, file);
  if (problems.length > 0) return fail(problems.map((p) => place(p.path, p.message)));
  return { document: toDocument(parsed.data, file), issues: [], place };
}

/** A problem at a data path, placed later. */
interface PathProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** Checks across fields: the file name, ids and aliases unique within the document. */
function documentProblems(data: DocumentData, file: string): PathProblem[] {
  const problems: PathProblem[] = [];
  const name = data.package.name;
  if (basename(file) !== advisoryFileName(name))
    problems.push({
      path: ['package', 'name'],
      message: `package '${name}' must be in a file named ${advisoryFileName(name)}, not ${basename(file)}`,
    });
  const idAt = new Map<string, number>();
  for (const [i, adv] of data.advisories.entries()) {
    const first = idAt.get(adv.id);
    if (first !== undefined)
      problems.push({
        path: ['advisories', i, 'id'],
        message: `duplicate advisory id ${adv.id} (also advisories[${first}])`,
      });
    else idAt.set(adv.id, i);
  }
  const aliasAt = new Map<string, number>();
  for (const [i, adv] of data.advisories.entries()) {
    for (const [j, alias] of (adv.aliases ?? []).entries()) {
      const path = ['advisories', i, 'aliases', j];
      const first = aliasAt.get(alias);
      if (alias === adv.id) problems.push({ path, message: `alias ${alias} repeats the advisory's id` });
      else if (first === i) problems.push({ path, message: `alias ${alias} is listed twice` });
      else if (first !== undefined)
        problems.push({
          path,
          message: `alias ${alias} is also an alias of advisories[${first}] (${data.advisories[first]?.id})`,
        });
      else aliasAt.set(alias, i);
    }
  }
  return problems;
}

function toDocument(data: DocumentData, file: string): AdvisoryDocument {
  const advisories: Advisory[] = data.advisories.map((adv) => ({
    id: adv.id,
    aliases: adv.aliases ?? [],
    events: adv.events satisfies readonly AdvisoryEvent[],
  }));
  return { file, schemaVersion: data['schema-version'], package: { name: data.package.name }, advisories };
}
