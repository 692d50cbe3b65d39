import { invalidAt } from './errors.js';
import { INSTRUCTION_FLAGS } from './keywords.js';
import type { InstructionFlag, InstructionKind } from './model.js';

/**
 * Checks an instruction's `--name[=value]` words against the flags it accepts, as BuildKit's
 * BFlags do: unknown flags, duplicates (except list flags such as `--mount`), a missing value
 * for a string flag and a non-boolean value for a boolean one are errors.
 */
export function parseFlags(
  kind: InstructionKind,
  words: readonly string[],
  file: string,
  line: number,
): InstructionFlag[] {
  const accepted = INSTRUCTION_FLAGS[kind] ?? {};
  const seen = new Set<string>();
  return words.map((word) => {
    const body = word.startsWith('--') ? word.slice(2) : word;
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    const type = Object.hasOwn(accepted, name) ? accepted[name] : undefined;
    if (type === undefined) throw invalidAt(file, line, `${kind}: unknown flag: --${name}`);
    if (type !== 'strings' && seen.has(name)) {
      throw invalidAt(file, line, `${kind}: duplicate flag specified: --${name}`);
    }
    seen.add(name);
    if (type !== 'bool' && value === undefined) {
      throw invalidAt(file, line, `${kind}: missing a value on flag: --${name}`);
    }
    if (type === 'bool' && value !== undefined && !/^(true|false)$/i.test(value)) {
      throw invalidAt(file, line, `${kind}: expecting boolean value for flag --${name}, not: ${value}`);
    }
    return { name, value };
  });
}

const DURATION = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|ms|s|m|h)/;

/** Whether `text` is a Go duration (`30s`, `1m30s`, `1.5h`, `0`). */
export function isGoDuration(text: string): boolean {
  if (text === '0') return true;
  let rest = text;
  if (rest === '') return false;
  while (rest !== '') {
    const m = DURATION.exec(rest);
    if (m === null) return false;
    rest = rest.slice(m[0].length);
  }
  return true;
}

/** HEALTHCHECK's flags: durations and a non-negative retry count (values without `$`). */
export function checkHealthcheckFlags(flags: readonly InstructionFlag[], file: string, line: number): void {
  for (const { name, value } of flags) {
    if (value === undefined || value.includes('$')) continue;
    if (name === 'retries') {
      if (!/^\d+$/.test(value))
        throw invalidAt(file, line, `HEALTHCHECK: --retries must be a count, not: ${value}`);
    } else if (!isGoDuration(value)) {
      throw invalidAt(file, line, `HEALTHCHECK: --${name} must be a duration such as 30s, not: ${value}`);
    }
  }
}
