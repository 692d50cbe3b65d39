/** A `RUN` that is one `apk add` and nothing else, as {@link parseApkAddCommand} reads it. */
export interface ApkAddCommand {
  /** World entries exactly as written (`name`, `name=1.2-r0`, `so:libz.so.1`, `cmd:sh` ...). */
  readonly packages: readonly string[];
  /** `--no-cache` was given (no effect natively: nothing is cached in the image anyway). */
  readonly noCache: boolean;
  /** Every accepted flag as written, in order (`--no-cache`, `-U`, `--quiet` ...). */
  readonly flags: readonly string[];
}

// Flags that change nothing in what is installed: output, caches and index refreshes (larder
// always reads the current indexes and never leaves a cache in the image).
const QUIET_FLAGS = new Set([
  '--no-cache',
  '-U',
  '--update-cache',
  '-q',
  '--quiet',
  '-v',
  '--verbose',
  '--no-progress',
  '--progress',
  '-i',
  '--interactive',
  '--clean-protected',
  '--no-interactive',
]);

const SET_E = /^-[euxo]+$/;
// A world entry: name (with `so:`/`cmd:`/`pc:` prefixes), optional `@tag`, optional constraint.
// Words that are anything else (operators, `$VAR`, globs, quotes) are shell syntax.
const PACKAGE =
  /^[A-Za-z0-9][A-Za-z0-9_.+:-]*(?:@[A-Za-z0-9][A-Za-z0-9._+-]*)?(?:(?:[<>]=?|=|~|[<>]~|=~)[A-Za-z0-9_.+~-]+)?$/;

/**
 * Recognises a RUN command that is exactly one `apk add` (its words as the shell would split
 * them, operators as their own words): `apk add PKG...`, with apk's global or add flags that do
 * not change what gets installed (`--no-cache`, `-U`/`--update-cache`, `--quiet` ...) before or
 * after `add`, optionally after `set -e` (`set -e && apk add ...`, `set -eux; apk add ...`).
 * Anything else is undefined, so the builder runs it in the sandbox: other commands or
 * operators (`apk update && apk add`, `apk add x && rm`), shell syntax in a word (quotes,
 * `$VAR`, globs), flags that change the install (`--virtual`/`-t`, `--repository`/`-X`,
 * `--allow-untrusted`, `--upgrade`, `--force-*`, `--root`, `--arch` ...), `--` or no package.
 */
export function parseApkAddCommand(argv: readonly string[]): ApkAddCommand | undefined {
  let words = [...argv];
  while (words[0] === 'set' && words.length >= 2 && SET_E.test(words[1]!)) {
    const next = words[2];
    if (next === '&&' || next === ';') words = words.slice(3);
    else return undefined;
  }
  if (words[0] !== 'apk' && words[0] !== '/sbin/apk' && words[0] !== '/usr/bin/apk') return undefined;
  const flags: string[] = [];
  const packages: string[] = [];
  let sawAdd = false;
  for (const word of words.slice(1)) {
    if (word.startsWith('-')) {
      if (!QUIET_FLAGS.has(word)) return undefined;
      flags.push(word);
    } else if (!sawAdd) {
      if (word !== 'add') return undefined;
      sawAdd = true;
    } else {
      if (!PACKAGE.test(word)) return undefined;
      packages.push(word);
    }
  }
  if (!sawAdd || packages.length === 0) return undefined;
  return { packages, noCache: flags.includes('--no-cache'), flags };
}
