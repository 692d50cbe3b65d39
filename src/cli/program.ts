import { type Command, CommanderError } from 'commander';
import { LarderError, type LarderErrorCode } from '../core/index.js';
import { PACKAGE_VERSION } from './package-version.js';

/** Options every command accepts (docs/CLI.md). */
export interface GlobalOptions {
  readonly stateDir: string;
  readonly debug: boolean;
  /** `-q/--quiet`: no progress on stderr (warnings and errors still). */
  readonly quiet: boolean;
}

/** Thrown by commands to end with a status without printing an error line (a verdict). */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit ${status}`);
  }
}

/** Verdict codes exit 1; every other failure (usage, input, I/O) exits 2. */
const VERDICT_CODES: ReadonlySet<LarderErrorCode> = new Set([
  'SIGNATURE_UNTRUSTED',
  'SIGNATURE_BAD',
  'DATAHASH_MISMATCH',
  'FILE_CHECKSUM_MISMATCH',
  'PACKAGE_CHECKSUM_MISMATCH',
  'UNSATISFIABLE',
]);

export function exitStatusFor(err: unknown): number {
  if (err instanceof ExitStatus) return err.status;
  if (err instanceof LarderError) return VERDICT_CODES.has(err.code) ? 1 : 2;
  return 2;
}

/** Adds `--state-dir`, `--debug` and (unless the command uses it) `--version` to a command. */
export function withGlobals(cmd: Command, options: { ownVersion?: boolean } = {}): Command {
  cmd
    .option(
      '--state-dir <dir>',
      'state directory: download cache, keys, local repository (env LARDER_STATE_DIR)',
    )
    .option('--debug', 'print stack traces and debug logs')
    .option(
      '-q, --quiet',
      'no progress bars or progress lines on stderr; warnings and errors still (env LARDER_QUIET=1)',
    )
    .helpOption('-h, --help', 'show help for this command')
    .configureOutput({ outputError: () => {} })
    .enablePositionalOptions()
    .exitOverride();
  if (!options.ownVersion) cmd.version(`larder ${PACKAGE_VERSION}`, '-V, --version', 'print larder version');
  return cmd;
}

/** Resolves the global options of a command, including those given to its parents. */
export function globalsOf(cmd: Command): GlobalOptions {
  const opts = cmd.optsWithGlobals() as { stateDir?: string; debug?: boolean; quiet?: boolean };
  return {
    stateDir: opts.stateDir ?? defaultStateDir(),
    debug: opts.debug === true,
    quiet: opts.quiet === true || isSet(process.env.LARDER_QUIET),
  };
}

/** An environment flag is on unless empty, `0` or `false`. */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function defaultStateDir(): string {
  if (process.env.LARDER_STATE_DIR) return process.env.LARDER_STATE_DIR;
  const data = process.env.XDG_DATA_HOME || `${process.env.HOME ?? '.'}/.local/share`;
  return `${data}/larder`;
}

/** Collects a repeated option into an array (`--depends a --depends b`). */
export function repeated(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Runs the program and returns the exit status. Failures print one line
 * `larder: <code>: <message>` on stderr, and a stack trace only with --debug.
 */
export async function run(program: Command, argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof ExitStatus) return err.status;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return 2;
      process.stderr.write(`larder: USAGE: ${err.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    const code = err instanceof LarderError ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`larder: ${code}: ${message}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return exitStatusFor(err);
  }
}
