import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { LarderError } from '../../core/index.js';
import {
  parseWorldDependency,
  renderProblems,
  type SolveResult,
  type SolverUniverse,
  solve,
} from '../../solver/index.js';
import { ExitStatus, globalsOf } from '../program.js';
import { archesOf, loadUniverse, type RepositoryOptions } from '../repositories.js';

interface ResolveOptions extends RepositoryOptions {
  readonly json?: boolean;
  readonly explain?: boolean;
  readonly worlds?: string;
}

type WorldOutcome =
  | { ok: true; packages: Array<[string, string]> }
  | { ok: false; error: string; problems?: unknown };

/**
 * `larder resolve --repository R... --keyring K... --arch A CONSTRAINT...` and `--worlds FILE`.
 * World arguments are read as `apk add` reads its arguments. Prints `name version` lines (or
 * one JSON line per world), sorted by name in byte order.
 */
export async function resolveCommand(
  constraints: readonly string[],
  opts: ResolveOptions,
  cmd: Command,
): Promise<void> {
  const arches = archesOf(opts.arch);
  if (arches.length !== 1)
    throw new LarderError(
      'USAGE',
      `resolve needs exactly one --arch (got ${arches.length ? arches.join(', ') : 'none'})`,
    );
  if (opts.worlds !== undefined && constraints.length > 0)
    throw new LarderError('USAGE', 'give either CONSTRAINT arguments or --worlds FILE, not both');
  if (opts.worlds === undefined && constraints.length === 0)
    throw new LarderError('USAGE', 'give at least one CONSTRAINT, or --worlds FILE');
  const worldLines = opts.worlds !== undefined ? await readWorlds(opts.worlds) : undefined;
  const { universe, fetcher } = await loadUniverse(opts, arches[0]!, globalsOf(cmd).stateDir);
  await fetcher.close();

  if (worldLines === undefined) {
    const outcome = resolveOne(universe, constraints, opts.explain === true);
    if (opts.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
    else if (outcome.ok) process.stdout.write(outcome.packages.map(([n, v]) => `${n} ${v}\n`).join(''));
    if (!outcome.ok) {
      if (!opts.json) process.stderr.write(`larder: UNSATISFIABLE: ${outcome.error}\n`);
      throw new ExitStatus(1);
    }
    return;
  }
  let status = 0;
  const out: string[] = [];
  for (const line of worldLines) {
    const outcome =
      line.error !== undefined
        ? ({ ok: false, error: line.error } as const)
        : resolveOne(universe, line.world, opts.explain === true);
    if (!outcome.ok) status = Math.max(status, line.error !== undefined ? 2 : 1);
    out.push(JSON.stringify(outcome));
  }
  process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
  if (status) throw new ExitStatus(status);
}

/** Resolves one world; a malformed constraint is reported as this world's failure. */
function resolveOne(universe: SolverUniverse, world: readonly string[], explain: boolean): WorldOutcome {
  let result: SolveResult;
  try {
    result = solve(
      universe,
      world.map((w) => parseWorldDependency(w)),
    );
  } catch (err) {
    if (err instanceof LarderError) return { ok: false, error: err.message };
    throw err;
  }
  if (result.ok) {
    const packages = result.install.map((p): [string, string] => [p.name, p.version]);
    packages.sort(
      (a, b) =>
        Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])) ||
        Buffer.compare(Buffer.from(a[1]), Buffer.from(b[1])),
    );
    return { ok: true, packages };
  }
  const error = renderProblems(result.problems).trimEnd();
  return explain ? { ok: false, error, problems: result.problems } : { ok: false, error };
}

interface WorldLine {
  readonly world: string[];
  readonly error?: string;
}

/** Reads JSON lines `{"world":[...]}`; a malformed line becomes that line's error. */
async function readWorlds(path: string): Promise<WorldLine[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new LarderError('IO', `cannot read --worlds ${path}: ${(err as Error).message}`, {
      cause: err,
      subject: path,
    });
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, i) => {
    const where = `${path}:${i + 1}`;
    try {
      const value: unknown = JSON.parse(line);
      const world = (value as { world?: unknown } | null)?.world;
      if (!Array.isArray(world) || !world.every((w) => typeof w === 'string')) {
        return { world: [], error: `${where}: expected {"world":["name",...]}` };
      }
      return { world: world as string[] };
    } catch (err) {
      return { world: [], error: `${where}: not JSON (${(err as Error).message})` };
    }
  });
}
