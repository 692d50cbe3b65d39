import type { Command } from 'commander';
import { loadApkSigningKey } from '../../apk/index.js';
import { type BuildEvent, buildRecipe, hostBuildArch, pipelineLibrary } from '../../build/index.js';
import { createFetcher } from '../../repo/index.js';
import { sourceDateEpoch } from '../environment.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { globalsOf } from '../program.js';
import {
  cliSandboxRunner,
  runnerName as parseRunner,
  signKeyFile,
  whileInterruptible,
} from '../sandbox-runner.js';

/** Options of `larder build`. */
export interface BuildCommandOptions {
  readonly outDir: string;
  readonly signKey?: string;
  readonly signingKey?: string;
  readonly arch?: string;
  readonly runner?: string;
  readonly pipelineDir?: string[];
  readonly sourceDir?: string;
  readonly repository?: string[];
  readonly keyring?: string[];
  readonly repositoryAppend?: string[];
  readonly keyringAppend?: string[];
  readonly packageAppend?: string[];
  readonly buildOption?: string[];
  readonly emptyWorkspace?: boolean;
  readonly cacheDir?: string;
  readonly namespace?: string;
  readonly allowUntrusted?: boolean;
}

/**
 * `larder build RECIPE --out-dir REPO --sign-key KEY [--arch A] [--runner bubblewrap|host] ...`:
 * builds the recipe's packages in the sandbox and publishes them into `REPO/ARCH/` with a
 * signed index. Step output goes to stderr as `[step] line` (not with -q); the written `.apk`
 * paths are printed on stdout, main package first.
 */
export async function buildCommand(
  recipe: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as BuildCommandOptions;
  const globals = globalsOf(cmd);
  const keyFile = signKeyFile(o);
  const runnerName = parseRunner(o.runner);
  const signKey = await loadApkSigningKey(keyFile);
  const epoch = sourceDateEpoch();
  const fetcher = createFetcher({ stateDir: globals.stateDir });
  const runner = cliSandboxRunner(runnerName, {
    fetcher,
    stateDir: globals.stateDir,
    sourceDateEpoch: epoch,
    ...(o.allowUntrusted === true ? { allowUntrusted: true } : {}),
  });
  try {
    const result = await whileInterruptible(`build of ${recipe}`, (signal) =>
      buildRecipe({
        signal,
        recipe,
        library: pipelineLibrary(o.pipelineDir ?? []),
        arch: o.arch ?? hostBuildArch(),
        runner,
        fetcher,
        outDir: o.outDir,
        signKey,
        sourceDateEpoch: epoch,
        tool: `larder (${PACKAGE_VERSION})`,
        onEvent: (event) => show(event, globals.quiet),
        ...(o.sourceDir !== undefined ? { sourceDir: o.sourceDir } : {}),
        extraRepositories: [...(o.repository ?? []), ...(o.repositoryAppend ?? [])],
        extraKeyring: [...(o.keyring ?? []), ...(o.keyringAppend ?? [])],
        extraPackages: o.packageAppend ?? [],
        // melange takes comma-separated lists too
        buildOptions: (o.buildOption ?? []).flatMap((v) => v.split(',')).filter((v) => v !== ''),
        ...(o.emptyWorkspace === true ? { emptyWorkspace: true } : {}),
        ...(o.cacheDir !== undefined ? { cacheDir: o.cacheDir } : {}),
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      }),
    );
    process.stdout.write(result.packages.map((p) => `${p.path}\n`).join(''));
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
  else process.stderr.write(`larder: ${event.package}: running step '${event.step}' (${event.type})\n`);
}
