import { posix } from 'node:path';
import { LarderError } from '../../core/index.js';
import { GUEST_WORKSPACE, type SandboxStep } from './sandbox.js';

/** The guest directory a step runs in: absolute as given, else under `/home/build`. */
export function guestWorkdir(step: SandboxStep): string {
  if (step.workdir === '') return GUEST_WORKSPACE;
  return posix.isAbsolute(step.workdir)
    ? posix.normalize(step.workdir)
    : posix.join(GUEST_WORKSPACE, step.workdir);
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The text given to `/bin/sh -c`, as melange's `buildEvalRunCommand` wraps `runs:`: stop at the
 * first failing command, make and enter the working directory, then the step's script, then
 * `exit 0`. melange also sets `-o pipefail`; it is set here only where the shell has it
 * (busybox ash and bash do, Debian's dash does not), so the host runner works with dash.
 */
export function stepShellScript(step: SandboxStep): string {
  if (step.script.includes('\0'))
    throw new LarderError('USAGE', `build step '${step.name}': the script contains a NUL byte`);
  const dir = shellQuote(guestWorkdir(step));
  return [
    'set -e',
    '(set -o pipefail) 2>/dev/null && set -o pipefail',
    `[ -d ${dir} ] || mkdir -p ${dir}`,
    `cd ${dir}`,
    step.script,
    'exit 0',
  ].join('\n');
}

/** Environment variable names a shell can hold and `bwrap --setenv` can set. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a step's environment before it reaches the sandbox. */
export function checkStepEnv(step: SandboxStep): void {
  for (const [name, value] of Object.entries(step.env)) {
    if (!ENV_NAME.test(name))
      throw new LarderError(
        'USAGE',
        `build step '${step.name}': environment name ${JSON.stringify(name)} is not valid`,
      );
    if (value.includes('\0'))
      throw new LarderError('USAGE', `build step '${step.name}': environment ${name} contains a NUL byte`);
  }
}
