import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { LarderError } from '../../core/index.js';
import { expandWord, type Heredoc, type Instruction } from '../parse/index.js';
import { resolveUser } from '../rootfs/index.js';
import { fetchAddUrl, isUrl, unpackArchive } from './add-sources.js';
import { matchSources } from './copy-sources.js';
import type { Owner } from './copy-tree.js';
import { copyTree, makeParents } from './copy-tree.js';
import { invalid, nextWorkdir, placeOf } from './metadata.js';
import { escapesRoot, hasGlob, imagePath } from './scoped-path.js';
import { type StageState, stageLookup } from './stage-state.js';

type CopyInstruction = Extract<Instruction, { kind: 'COPY' | 'ADD' }>;

/** What COPY/ADD read besides the stage itself. */
export interface CopyInputs {
  readonly contextDir: string;
  /** `.dockerignore`: whether a context path is sent. */
  readonly include: (rel: string, isDir: boolean) => boolean;
  /** The root directory of `--from=NAME` (a stage built earlier, or an image). */
  readonly fromRoot: (name: string, instruction: CopyInstruction) => Promise<string>;
  /** Scratch space for downloads. */
  readonly scratchDir: string;
  /** The Dockerfile's escape character. */
  readonly esc: '\\' | '`';
  readonly signal?: AbortSignal;
}

const KNOWN_FLAGS: Record<'COPY' | 'ADD', readonly string[]> = {
  COPY: ['from', 'chown', 'chmod', 'link'],
  ADD: ['chown', 'chmod', 'link', 'checksum'],
};

function failed(instruction: CopyInstruction, message: string): LarderError {
  return new LarderError(
    'DOCKERFILE_STEP_FAILED',
    `${placeOf(instruction)}: ${instruction.kind} ${message}`,
    {
      subject: instruction.span.file,
    },
  );
}

/** `$NAME` and `${NAME}` in a heredoc body (no quote removal: the body is file content). */
export function expandHeredocBody(body: string, lookup: (name: string) => string | undefined): string {
  return body.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a, b) =>
    m === '\\$' ? '$' : (lookup((a ?? b) as string) ?? ''),
  );
}

function flagValue(
  instruction: CopyInstruction,
  name: string,
  lookup: (n: string) => string | undefined,
  esc: '\\' | '`',
) {
  const flag = instruction.flags.find((f) => f.name === name);
  if (flag === undefined) return undefined;
  if (flag.value === undefined || flag.value === '') throw invalid(instruction, `--${name} needs a value`);
  return expandWord(flag.value, lookup, esc);
}

/**
 * Runs COPY or ADD into the stage's root: sources from the build context (`.dockerignore`
 * applied, paths outside it refused), from `--from` (ownership kept), heredocs, and for ADD,
 * http(s) URLs (`--checksum` checked) and local tar archives (unpacked). Returns the history
 * text (`COPY src dest`).
 */
export async function applyCopy(
  state: StageState,
  instruction: CopyInstruction,
  inputs: CopyInputs,
): Promise<string> {
  for (const flag of instruction.flags)
    if (!KNOWN_FLAGS[instruction.kind].includes(flag.name))
      throw invalid(instruction, `${instruction.kind} --${flag.name} is not supported`);
  const lookup = stageLookup(state);
  const sources = instruction.sources.map((s) =>
    s.startsWith('<<') ? s : expandWord(s, lookup, inputs.esc),
  );
  const destWord = expandWord(instruction.dest, lookup, inputs.esc);
  const dest = nextWorkdir(state, destWord);
  const from = flagValue(instruction, 'from', lookup, inputs.esc);
  const chown = flagValue(instruction, 'chown', lookup, inputs.esc);
  const chmod = flagValue(instruction, 'chmod', lookup, inputs.esc);
  const checksum = flagValue(instruction, 'checksum', lookup, inputs.esc);
  if (chmod !== undefined && !/^[0-7]{3,4}$/.test(chmod))
    throw invalid(instruction, `--chmod=${chmod}: expected an octal mode such as 0755`);
  const mode = chmod === undefined ? undefined : Number.parseInt(chmod, 8);
  const owner = chown === undefined ? undefined : await resolveUser(state.root, chown);
  const root = from === undefined ? inputs.contextDir : await inputs.fromRoot(from, instruction);
  const existing = await lstat(await imagePath(state.root, dest)).catch(() => undefined);
  const intoDir =
    destWord.endsWith('/') || sources.length > 1 || sources.some(hasGlob) || existing?.isDirectory() === true;
  if (checksum !== undefined && !sources.every(isUrl))
    throw invalid(instruction, '--checksum is only supported for http(s) sources');
  const write = { owner, mode, state, instruction, dest, intoDir };
  for (const source of sources) {
    if (source.startsWith('<<')) await copyHeredoc(write, heredocNamed(instruction, source), lookup);
    else if (instruction.kind === 'ADD' && isUrl(source)) {
      const got = await fetchAddUrl(source, checksum, inputs.scratchDir, inputs.signal).catch(
        (err: unknown) => {
          throw failed(instruction, `${source}: ${(err as Error).message}`);
        },
      );
      await placeFile(write, got.path, got.name, { keepOwner: false, mode: mode ?? 0o600 });
    } else {
      if (from === undefined && escapesRoot(source))
        throw failed(instruction, `${source}: the path is outside the build context`);
      const include = from === undefined ? inputs.include : undefined;
      const matches = await matchSources(root, source, include);
      if (matches.length === 0)
        throw failed(
          instruction,
          `${source}: no such file or directory in ${from === undefined ? 'the build context' : `--from=${from}`}`,
        );
      for (const m of matches) {
        const keepOwner = from !== undefined;
        if (m.isDir) {
          const target = await makeParents(state.root, dest, owner);
          await copyTree(m.host, target, m.rel, { owner, keepOwner, mode, include });
        } else if (
          instruction.kind === 'ADD' &&
          (await unpackArchive(m.host, await makeParents(state.root, dest, owner)))
        )
          continue;
        else await placeFile(write, m.host, basename(m.host), { keepOwner, mode });
      }
    }
  }
  const flags = instruction.flags.map((f) =>
    f.value === undefined ? `--${f.name}` : `--${f.name}=${f.value}`,
  );
  return [instruction.kind, ...flags, ...sources, destWord].join(' ');
}

interface WriteTarget {
  readonly owner: Owner | undefined;
  readonly mode: number | undefined;
  readonly state: StageState;
  readonly instruction: CopyInstruction;
  readonly dest: string;
  readonly intoDir: boolean;
}

async function placeFile(
  t: WriteTarget,
  host: string,
  name: string,
  o: { keepOwner: boolean; mode?: number | undefined },
): Promise<void> {
  const path = t.intoDir ? posix.join(t.dest, name) : t.dest;
  const parent = await makeParents(t.state.root, posix.dirname(path), t.owner);
  await copyTree(host, join(parent, posix.basename(path)), name, {
    owner: t.owner,
    keepOwner: o.keepOwner,
    mode: o.mode,
  });
}

function heredocNamed(instruction: CopyInstruction, word: string): Heredoc {
  const name = word.replace(/^<<-?/, '').replace(/^["']|["']$/g, '');
  const doc = instruction.heredocs.find((h) => h.name === name);
  if (doc === undefined) throw invalid(instruction, `${word}: no heredoc named ${name}`);
  return doc;
}

async function copyHeredoc(t: WriteTarget, doc: Heredoc, lookup: (n: string) => string | undefined) {
  const body = doc.expand ? expandHeredocBody(doc.content, lookup) : doc.content;
  const tmp = join(t.state.root, '..', `.heredoc-${process.pid}-${doc.name}`);
  await mkdir(posix.dirname(tmp), { recursive: true });
  await writeFile(tmp, body, { mode: 0o644 });
  await placeFile(t, tmp, doc.name, { keepOwner: false, mode: t.mode ?? 0o644 });
}
