import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadApkSigningKey, publicKeyPem } from '../../apk/index.js';
import {
  type BuildAllEvent,
  type BuildEvent,
  buildAll,
  buildRecipe,
  pipelineLibrary,
  type RecipeNode,
} from '../../build/index.js';
import { LarderError } from '../../core/index.js';
import { createFetcher, readExistingIndex } from '../../repo/index.js';
import { sourceDateEpoch } from '../environment.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { ExitStatus, globalsOf } from '../program.js';
import { cliSandboxRunner, runnerName as parseRunner, signKeyFile } from '../sandbox-runner.js';
import type { BuildCommandOptions } from './build.js';
import { loadOrderedGraph } from './graph.js';

/** Options of `larder build-all`: those of `larder build` (forwarded to each build) and -j. */
export interface BuildAllCommandOptions extends Omit<BuildCommandOptions, 'sourceDir'> {
  readonly jobs?: string;
}

/**
 * `larder build-all DIR --out-dir REPO --sign-key KEY [-j N] ...`: builds every recipe of DIR in
 * build order, up to N at once, each as `larder build` would with the same flags. Each build's
 * guest also sees REPO (with the signing key's public half) once REPO/ARCH has an index, so a
 * recipe builds against the packages of the recipes before it. A recipe whose main package
 * version is already in REPO's index is skipped. After a failure nothing new starts; the
 * failed and the never-started recipes are listed on stderr and the exit status is 1. The
 * `.apk` paths written are printed on stdout in build order.
 */
export async function buildAllCommand(
  dir: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as BuildAllCommandOptions;
  const globals = globalsOf(cmd);
  const keyFile = signKeyFile(o);
  const runnerName = parseRunner(o.runner);
  const jobs = Number(o.jobs ?? '1');
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new LarderError('USAGE', `-j '${o.jobs}': expected a whole number of builds at once, 1 or more`);
  const { graph, order, arch } = await loadOrderedGraph(dir, o);
  const signKey = await loadApkSigningKey(keyFile);
  const outDir = resolve(o.outDir);
  const indexPath = join(outDir, arch, 'APKINDEX.tar.gz');
  const existing = await readExistingIndex(indexPath, undefined);
  const published = new Set((existing?.records ?? []).map((r) => `${r.name}=${r.version}`));
  const epoch = sourceDateEpoch();
  const fetcher = createFetcher({ stateDir: globals.stateDir });
  const runner = cliSandboxRunner(runnerName, {
    fetcher,
    stateDir: globals.stateDir,
    sourceDateEpoch: epoch,
    ...(o.allowUntrusted === true ? { allowUntrusted: true } : {}),
  });
  // The guest trusts REPO's index through the public half of the signing key.
  const keyDir = await mkdtemp(join(tmpdir(), 'larder-build-all-'));
  const ownKey = join(keyDir, `${signKey.keyName}.pub`);
  await writeFile(ownKey, publicKeyPem(signKey));
  const abort = new AbortController();
  const stop = (signal: NodeJS.Signals) =>
    abort.abort(new LarderError('STEP_FAILED', `build-all of ${dir} interrupted by ${signal}`));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const written = new Map<string, string[]>();
  const build = async (node: RecipeNode): Promise<void> => {
    const sourceDir = join(dirname(node.file), basename(node.file, extname(node.file)));
    const hasSources = await exists(sourceDir);
    const hasRepo = await exists(indexPath);
    const result = await buildRecipe({
      signal: abort.signal,
      recipe: node.file,
      library: pipelineLibrary(o.pipelineDir ?? []),
      arch,
      runner,
      fetcher,
      outDir,
      signKey,
      sourceDateEpoch: epoch,
      tool: `larder (${PACKAGE_VERSION})`,
      onEvent: (event) => show(node.name, event, globals.quiet),
      // As Wolfi lays a tree out: a recipe's files are in the directory named like it.
      ...(hasSources ? { sourceDir } : { emptyWorkspace: true }),
      ...(o.emptyWorkspace === true ? { emptyWorkspace: true } : {}),
      extraRepositories: [
        ...(hasRepo ? [outDir] : []),
        ...(o.repository ?? []),
        ...(o.repositoryAppend ?? []),
      ],
      extraKeyring: [...(hasRepo ? [ownKey] : []), ...(o.keyring ?? []), ...(o.keyringAppend ?? [])],
      extraPackages: o.packageAppend ?? [],
      buildOptions: (o.buildOption ?? []).flatMap((v) => v.split(',')).filter((v) => v !== ''),
      ...(o.cacheDir !== undefined ? { cacheDir: o.cacheDir } : {}),
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    });
    written.set(
      node.name,
      result.packages.map((p) => p.path),
    );
  };
  try {
    const result = await buildAll({
      graph,
      order,
      jobs,
      isBuilt: (node) => published.has(`${node.name}=${node.version}`),
      build,
      onEvent: (event) => progress(event, graph.byName.get(event.recipe), globals.quiet),
    });
    process.stdout.write(
      order
        .flatMap((n) => written.get(n) ?? [])
        .map((p) => `${p}\n`)
        .join(''),
    );
    const counts = `${result.built.length} built, ${result.skipped.length} skipped`;
    if (result.failed.length === 0) {
      if (!globals.quiet) process.stderr.write(`larder: build-all: ${counts}\n`);
      return;
    }
    for (const f of result.failed) process.stderr.write(`larder: FAIL ${f.recipe}: ${reason(f.error)}\n`);
    process.stderr.write(
      `larder: build-all: ${counts}, ${result.failed.length} failed (${result.failed.map((f) => f.recipe).join(' ')})` +
        `, ${result.notBuilt.length} not built${result.notBuilt.length > 0 ? ` (${result.notBuilt.join(' ')})` : ''}\n`,
    );
    throw new ExitStatus(1);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await fetcher.close();
    await rm(keyDir, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function reason(error: unknown): string {
  if (error instanceof LarderError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function progress(event: BuildAllEvent, node: RecipeNode | undefined, quiet: boolean): void {
  if (quiet || event.kind === 'failed') return;
  const what = `${event.recipe}-${node?.version ?? ''}`;
  const text = { start: 'building', built: 'built', skipped: 'already in the repository, skipped' }[
    event.kind
  ];
  process.stderr.write(`larder: build-all: ${what}: ${text}\n`);
}

function show(recipe: string, event: BuildEvent, quiet: boolean): void {
  if (event.kind === 'warning') {
    const where = event.step === undefined ? '' : `[${event.step}] `;
    process.stderr.write(`larder: warning: ${recipe}: ${where}${event.message}\n`);
  } else if (quiet) return;
  else if (event.kind === 'line') process.stderr.write(`[${recipe}/${event.line.step}] ${event.line.text}\n`);
  else process.stderr.write(`larder: ${event.package}: running step '${event.step}' (${event.type})\n`);
}
