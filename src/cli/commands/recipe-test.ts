import type { Command } from 'commander';
import { type BuildEvent, hostBuildArch, pipelineLibrary, testRecipe } from '../../build/index.js';
import { createFetcher } from '../../repo/index.js';
import { sourceDateEpoch } from '../environment.js';
import { ExitStatus, globalsOf } from '../program.js';
import { cliSandboxRunner, runnerName as parseRunner, whileInterruptible } from '../sandbox-runner.js';

/** Options of `larder recipe test`. */
export interface RecipeTestOptions {
  readonly repository?: string[];
  readonly keyring?: string[];
  readonly repositoryAppend?: string[];
  readonly keyringAppend?: string[];
  readonly arch?: string;
  readonly runner?: string;
  readonly pipelineDir?: string[];
  readonly sourceDir?: string;
  readonly allowUntrusted?: boolean;
}

/**
 * `larder recipe test RECIPE --repository R... [--keyring K...] [--arch A] [--runner R]`: runs
 * the recipe's test sections against the built packages. Step output goes to stderr as
 * `[step] line` (not with -q); stdout has `OK name` or `FAIL name: step: reason` per tested
 * package; the exit status is 1 when any failed.
 */
export async function recipeTestCommand(
  recipe: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as RecipeTestOptions;
  const globals = globalsOf(cmd);
  const runnerName = parseRunner(o.runner);
  const repositories = [...(o.repository ?? []), ...(o.repositoryAppend ?? [])];
  const epoch = sourceDateEpoch();
  const fetcher = createFetcher({ stateDir: globals.stateDir });
  const runner = cliSandboxRunner(runnerName, {
    fetcher,
    stateDir: globals.stateDir,
    sourceDateEpoch: epoch,
    ...(o.allowUntrusted === true ? { allowUntrusted: true } : {}),
  });
  if (runnerName === 'host')
    process.stderr.write(
      'larder: warning: --runner host installs nothing: the test steps run against the host, not the packages under test\n',
    );
  try {
    const result = await whileInterruptible(`tests of ${recipe}`, (signal) =>
      testRecipe({
        recipe,
        library: pipelineLibrary(o.pipelineDir ?? []),
        arch: o.arch ?? hostBuildArch(),
        runner,
        fetcher,
        repositories,
        keyring: [...(o.keyring ?? []), ...(o.keyringAppend ?? [])],
        sourceDateEpoch: epoch,
        signal,
        onEvent: (event) => show(event, globals.quiet),
        ...(o.sourceDir !== undefined ? { sourceDir: o.sourceDir } : {}),
      }),
    );
    for (const v of result.verdicts)
      process.stdout.write(v.ok ? `OK ${v.package}\n` : `FAIL ${v.package}: ${v.step}: ${v.reason}\n`);
    if (result.verdicts.length === 0)
      process.stderr.write(`larder: warning: ${recipe} has no test sections\n`);
    if (result.verdicts.some((v) => !v.ok)) throw new ExitStatus(1);
  } finally {
    await fetcher.close();
  }
}

function show(event: BuildEvent, quiet: boolean): void {
  if (event.kind === 'warning') {
    const where = event.step === undefined ? '' : `[${event.step}] `;
    process.stderr.write(`larder: warning: ${where}${event.message}\n`);
  } else if (quiet) return;
  else if (event.kind === 'line') process.stderr.write(`[${event.line.step}] ${event.line.text}\n`);
  else process.stderr.write(`larder: ${event.package}: test step '${event.step}' (${event.type})\n`);
}
