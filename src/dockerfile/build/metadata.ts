import { posix } from 'node:path';
import { LarderError } from '../../core/index.js';
import { type CommandForm, expandWord, expandWords, type Instruction } from '../parse/index.js';
import { DEFAULT_SHELL, type StageState, stageLookup } from './stage-state.js';

type Of<K extends Instruction['kind']> = Extract<Instruction, { kind: K }>;

/** `Dockerfile:12: ` — every error starts with the place. */
export function placeOf(instruction: Instruction): string {
  return `${instruction.span.file}:${instruction.span.line}`;
}

export function invalid(instruction: Instruction, message: string): LarderError {
  return new LarderError('DOCKERFILE_INVALID', `${placeOf(instruction)}: ${message}`, {
    subject: instruction.span.file,
  });
}

/** A command as the image config holds it: exec form as is, shell form behind the stage's SHELL. */
export function commandArgv(state: StageState, command: CommandForm): string[] {
  if (command.form === 'exec') return [...command.argv];
  return [...(state.config.Shell ?? DEFAULT_SHELL), command.text];
}

/** The stage's working directory after `WORKDIR path` (relative paths join the current one). */
export function nextWorkdir(state: StageState, path: string): string {
  const current = state.config.WorkingDir ?? '/';
  return posix.normalize(posix.isAbsolute(path) ? path : posix.join(current, path));
}

const DURATION = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's `time.ParseDuration` subset Docker accepts for HEALTHCHECK flags: `30s`, `1m30s`, `500ms`. */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  DURATION.lastIndex = 0;
  let total = 0;
  let at = 0;
  for (let m = DURATION.exec(text); m !== null; m = DURATION.exec(text)) {
    total += Number(m[1]) * UNIT_NS[m[2]!]!;
    at = DURATION.lastIndex;
  }
  return at === text.length && at > 0 ? Math.round(total) : undefined;
}

function healthcheck(state: StageState, instruction: Of<'HEALTHCHECK'>): void {
  if (instruction.check.none) {
    state.config.Healthcheck = { Test: ['NONE'] };
    return;
  }
  const { command } = instruction.check;
  const test = command.form === 'exec' ? ['CMD', ...command.argv] : ['CMD-SHELL', command.text];
  const check: Record<string, unknown> = { Test: test };
  const names: Record<string, string> = {
    interval: 'Interval',
    timeout: 'Timeout',
    'start-period': 'StartPeriod',
    'start-interval': 'StartInterval',
  };
  for (const flag of instruction.flags) {
    const value = flag.value ?? '';
    if (flag.name === 'retries') {
      if (!/^\d+$/.test(value)) throw invalid(instruction, `HEALTHCHECK --retries=${value}: not a number`);
      check.Retries = Number(value);
    } else if (names[flag.name] !== undefined) {
      const ns = parseDuration(value);
      if (ns === undefined) throw invalid(instruction, `HEALTHCHECK --${flag.name}=${value}: not a duration`);
      check[names[flag.name]!] = ns;
    } else throw invalid(instruction, `HEALTHCHECK: unknown flag --${flag.name}`);
  }
  state.config.Healthcheck = check as unknown as NonNullable<StageState['config']['Healthcheck']>;
}

const PORT = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i;

function exposedPorts(instruction: Instruction, words: readonly string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const m = PORT.exec(word);
    const from = m ? Number(m[1]) : Number.NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!m || from < 1 || to > 65535 || to < from) throw invalid(instruction, `EXPOSE ${word}: not a port`);
    for (let port = from; port <= to; port++) out.push(`${port}/${(m[3] ?? 'tcp').toLowerCase()}`);
  }
  return out;
}

/**
 * Applies an instruction that only changes the image config (ENV, LABEL, USER, ENTRYPOINT, CMD,
 * EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, MAINTAINER, ONBUILD). Returns false for the
 * others. Words are expanded where BuildKit expands them.
 */
export function applyMetadata(state: StageState, instruction: Instruction, esc: '\\' | '`'): boolean {
  const lookup = stageLookup(state);
  const word = (raw: string) => expandWord(raw, lookup, esc);
  switch (instruction.kind) {
    case 'ENV':
      for (const { key, value } of instruction.pairs) state.env.set(word(key), word(value));
      return true;
    case 'LABEL': {
      const labels = { ...(state.config.Labels ?? {}) };
      for (const { key, value } of instruction.pairs) labels[word(key)] = word(value);
      state.config.Labels = labels;
      return true;
    }
    case 'USER':
      state.config.User = word(instruction.value);
      return true;
    case 'STOPSIGNAL':
      state.config.StopSignal = word(instruction.value);
      return true;
    case 'ENTRYPOINT':
      state.config.Entrypoint = commandArgv(state, instruction.command);
      if (state.cmdFromBase) {
        delete state.config.Cmd;
        state.cmdFromBase = false;
      }
      return true;
    case 'CMD':
      state.config.Cmd = commandArgv(state, instruction.command);
      state.cmdFromBase = false;
      return true;
    case 'SHELL':
      if (instruction.argv.length === 0) throw invalid(instruction, 'SHELL needs at least one word');
      state.config.Shell = [...instruction.argv];
      return true;
    case 'EXPOSE': {
      const ports = { ...(state.config.ExposedPorts ?? {}) };
      const words = instruction.values.flatMap((v) => expandWords(v, lookup, esc));
      for (const p of exposedPorts(instruction, words)) ports[p] = {};
      state.config.ExposedPorts = ports;
      return true;
    }
    case 'VOLUME': {
      const volumes = { ...(state.config.Volumes ?? {}) };
      for (const v of instruction.values.map(word)) {
        if (v === '') throw invalid(instruction, 'VOLUME: empty path');
        volumes[v] = {};
      }
      state.config.Volumes = volumes;
      return true;
    }
    case 'HEALTHCHECK':
      healthcheck(state, instruction);
      return true;
    case 'MAINTAINER':
      state.author = word(instruction.value);
      return true;
    case 'ONBUILD':
      state.config.OnBuild = [...(state.config.OnBuild ?? []), instruction.trigger];
      return true;
    default:
      return false;
  }
}
