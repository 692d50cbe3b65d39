/**
 * `larder recipe bump`: a recipe moved to a new upstream version as melange's `bump` does it —
 * `package.version` set, `package.epoch` back to 0, each `fetch` whose URI changed with the
 * version downloaded again for its new `expected-sha256`/`expected-sha512`, and each
 * `git-checkout` whose literal `tag` held the old version re-tagged with its `expected-commit`
 * refreshed from the tag (removed when the tag cannot be read). Only those values change; the
 * file is replaced atomically, and left as it was on any error.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { versionProblem } from '../../apk/index.js';
import { isLarderError, LarderError, writeFileAtomic } from '../../core/index.js';
import type { Fetcher } from '../../repo/index.js';
import { compileRecipeText, type PipelineLibrary, type SourceStep } from '../compile/index.js';
import { sourceDigests } from './source-digest.js';
import { type SourceNode, sourceNodes } from './source-nodes.js';
import { tagCommit } from './tag-commit.js';
import { applyEdits, removePair, replaceScalar, type TextEdit } from './text-edits.js';

/** Options of one bump. */
export interface BumpRecipeOptions {
  readonly recipe: string;
  readonly version: string;
  readonly fetcher: Fetcher;
  /** Pipelines for `uses:` when compiling (the built-ins by default). */
  readonly library: PipelineLibrary;
  /** Arch the URIs are computed for (`${{build.arch}}`). */
  readonly arch: string;
}

/** What a bump changed, one line each (`package.version: 1.0 -> 1.1`, …). */
export interface BumpRecipeResult {
  readonly file: string;
  readonly previousVersion: string;
  readonly changes: readonly string[];
}

/**
 * Bumps the recipe file in place.
 * @throws LarderError VERSION_INVALID or USAGE (the version is unchanged) naming the file;
 *   RECIPE_INVALID; a download's FETCH_* error naming the file and step; the file is untouched.
 */
export async function bumpRecipe(options: BumpRecipeOptions): Promise<BumpRecipeResult> {
  const { recipe: file, version } = options;
  const problem =
    version === ''
      ? 'empty'
      : version.includes('-')
        ? "has a '-' (the epoch is separate)"
        : versionProblem(version);
  if (problem !== undefined)
    throw new LarderError('VERSION_INVALID', `${file}: invalid version '${version}': ${problem}`, {
      subject: file,
    });
  const original = await readFile(file, 'utf8').catch((err: Error) => {
    throw new LarderError('IO', `cannot read recipe ${file}: ${err.message}`, { subject: file, cause: err });
  });
  const compile = (text: string) =>
    compileRecipeText(text, file, { library: options.library, arch: options.arch });
  const before = compile(original);
  const old = before.package.version;
  if (old === version)
    throw new LarderError('USAGE', `${file}: package.version is already ${version}`, { subject: file });
  const changes = [`package.version: ${old} -> ${version}`];

  // First pass: the version, the epoch and literal tags; the plan of that text gives the new URIs.
  const doc = parseDocument(original);
  const edits: TextEdit[] = [replaceScalar(doc.getIn(['package', 'version'], true), version)];
  const epoch = doc.getIn(['package', 'epoch'], true);
  if (epoch !== undefined && before.package.epoch !== 0) {
    edits.push(replaceScalar(epoch, '0', 'yaml'));
    changes.push(`package.epoch: ${before.package.epoch} -> 0`);
  }
  for (const node of sourceNodes(doc)) {
    const tag = node.with?.get('tag', true);
    const raw = node.with?.get('tag');
    if (node.uses === 'git-checkout' && typeof raw === 'string' && raw.includes(old)) {
      edits.push(replaceScalar(tag, raw.replaceAll(old, version)));
      changes.push(`git-checkout tag: ${raw} -> ${raw.replaceAll(old, version)}`);
    }
  }
  const first = applyEdits(original, edits);
  const after = compile(first);

  // Second pass: checksums and commits of the sources the new version changed.
  const doc2 = parseDocument(first);
  const nodes = sourceNodes(doc2);
  const oldSteps = sourceSteps(before.packages);
  const newSteps = sourceSteps(after.packages);
  if (nodes.length !== oldSteps.length || nodes.length !== newSteps.length)
    throw new LarderError(
      'RECIPE_INVALID',
      `${file}: cannot bump: its fetch/git-checkout steps come from pipelines or conditions the recipe text does not show`,
      { subject: file },
    );
  const edits2: TextEdit[] = [];
  for (const [i, node] of nodes.entries()) {
    const was = oldSteps[i] as SourceStep;
    const now = newSteps[i] as SourceStep;
    if (node.uses === 'fetch' && was.inputs.uri !== now.inputs.uri)
      edits2.push(...(await refreshChecksum(options, node, now, changes)));
    if (node.uses === 'git-checkout' && (was.inputs.tag ?? '') !== (now.inputs.tag ?? ''))
      edits2.push(...(await refreshCommit(first, node, now, changes)));
  }
  const text = applyEdits(first, edits2);
  const { mode } = await stat(file);
  await writeFileAtomic(file, text, { mode: mode & 0o7777 });
  return { file, previousVersion: old, changes };
}

function sourceSteps(packages: readonly { readonly steps: readonly { kind: string }[] }[]): SourceStep[] {
  return packages.flatMap((p) => p.steps).filter((s): s is SourceStep => s.kind !== 'run');
}

async function refreshChecksum(
  options: BumpRecipeOptions,
  node: SourceNode,
  step: SourceStep,
  changes: string[],
): Promise<TextEdit[]> {
  const uri = step.inputs.uri ?? '';
  let digests: { sha256: string; sha512: string };
  try {
    digests = await sourceDigests(options.fetcher, uri);
  } catch (err) {
    if (!isLarderError(err)) throw err;
    throw new LarderError(err.code, `${options.recipe}: ${step.name}: ${err.message}`, {
      subject: uri,
      cause: err,
    });
  }
  for (const algorithm of ['sha256', 'sha512'] as const) {
    const key = `expected-${algorithm}`;
    const value = node.with?.get(key, true);
    if (value === undefined) continue;
    changes.push(`fetch ${uri}: ${key} ${digests[algorithm]}`);
    return [replaceScalar(value, digests[algorithm])];
  }
  return [];
}

async function refreshCommit(
  text: string,
  node: SourceNode,
  step: SourceStep,
  changes: string[],
): Promise<TextEdit[]> {
  const pair = node.with?.items.find(
    (p) => (p.key as { value?: unknown } | null)?.value === 'expected-commit',
  );
  if (pair === undefined || node.with === undefined) return [];
  const repository = step.inputs.repository ?? '';
  const tag = step.inputs.tag ?? '';
  const commit = await tagCommit(repository, tag);
  if (commit === undefined) {
    changes.push(`git-checkout ${repository}: expected-commit removed (tag ${tag} not readable)`);
    return [removePair(text, pair)];
  }
  changes.push(`git-checkout ${repository}: expected-commit ${commit}`);
  return [replaceScalar(pair.value, commit)];
}
