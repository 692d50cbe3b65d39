import { createHash } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Instruction } from '../parse/index.js';
import type { SandboxBind } from '../rootfs/index.js';
import { invalid } from './metadata.js';
import { escapesRoot, imagePath } from './scoped-path.js';
import { cloneTree } from './stage-start.js';

type RunInstruction = Extract<Instruction, { kind: 'RUN' }>;

/** What `RUN --mount` needs from the build. */
export interface MountInputs {
  readonly contextDir: string;
  /** Persistent cache mounts live under it (`<dir>/<id hash>`). */
  readonly cacheDir: string;
  /** Scratch for tmpfs and copies of read-write binds. */
  readonly scratchDir: string;
  /** `--secret id=NAME,src=FILE` of the command line. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The root of a `from=` stage or image. */
  readonly fromRoot: (name: string) => Promise<string>;
}

function options(instruction: RunInstruction, value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (out.has(key)) throw invalid(instruction, `RUN --mount: ${key} given twice`);
    out.set(key, eq < 0 ? 'true' : part.slice(eq + 1));
  }
  if (!out.has('type')) out.set('type', 'bind');
  return out;
}

const KNOWN: Record<string, readonly string[]> = {
  bind: [
    'type',
    'target',
    'dst',
    'destination',
    'source',
    'src',
    'from',
    'rw',
    'readwrite',
    'readonly',
    'ro',
  ],
  cache: [
    'type',
    'target',
    'dst',
    'destination',
    'id',
    'sharing',
    'from',
    'source',
    'src',
    'mode',
    'uid',
    'gid',
    'readonly',
    'ro',
  ],
  tmpfs: ['type', 'target', 'dst', 'destination', 'size'],
  secret: ['type', 'id', 'target', 'dst', 'destination', 'required', 'mode', 'uid', 'gid'],
};

/**
 * The binds of a RUN's `--mount` flags (BuildKit's mount types): `bind` (context or `from=`
 * path, read-only; `rw` binds a throwaway copy), `cache` (a directory kept across builds under
 * the state dir, keyed by `id` or target), `tmpfs` (an empty throwaway directory) and `secret`
 * (a `--secret` file, read-only, at `/run/secrets/<id>` by default). Nothing mounted reaches
 * the layer.
 */
export async function runMounts(
  instruction: RunInstruction,
  workdir: string,
  inputs: MountInputs,
): Promise<SandboxBind[]> {
  const binds: SandboxBind[] = [];
  for (const flag of instruction.flags) {
    if (flag.name !== 'mount') continue;
    const o = options(instruction, flag.value ?? '');
    const type = o.get('type')!;
    const known = KNOWN[type];
    if (known === undefined)
      throw invalid(instruction, `RUN --mount type=${type} is not supported (bind, cache, tmpfs, secret)`);
    for (const key of o.keys())
      if (!known.includes(key)) throw invalid(instruction, `RUN --mount type=${type}: unknown option ${key}`);
    const target = o.get('target') ?? o.get('dst') ?? o.get('destination');
    const dest = (t: string) => posix.normalize(posix.isAbsolute(t) ? t : posix.join(workdir, t));
    if (type === 'secret') {
      const id = o.get('id') ?? (target ? posix.basename(target) : undefined);
      if (id === undefined) throw invalid(instruction, 'RUN --mount type=secret needs id= or target=');
      const file = inputs.secrets[id];
      if (file === undefined) {
        if (o.get('required') === 'true')
          throw invalid(instruction, `RUN --mount type=secret: no --secret id=${id} given`);
        continue;
      }
      const copy = join(await mkdtemp(join(inputs.scratchDir, 'secret-')), id);
      await copyFile(file, copy);
      await chmod(copy, Number.parseInt(o.get('mode') ?? '0400', 8));
      await chown(copy, Number(o.get('uid') ?? 0), Number(o.get('gid') ?? 0));
      binds.push({ source: copy, dest: dest(target ?? `/run/secrets/${id}`), readOnly: true });
      continue;
    }
    if (target === undefined) throw invalid(instruction, `RUN --mount type=${type} needs target=`);
    if (type === 'tmpfs') {
      binds.push({ source: await mkdtemp(join(inputs.scratchDir, 'tmpfs-')), dest: dest(target) });
    } else if (type === 'cache') {
      const id = o.get('id') ?? dest(target);
      const dir = join(inputs.cacheDir, createHash('sha256').update(id).digest('hex').slice(0, 32));
      await mkdir(dir, { recursive: true });
      const st = await stat(dir);
      const uid = Number(o.get('uid') ?? 0);
      const gid = Number(o.get('gid') ?? 0);
      if (st.uid !== uid || st.gid !== gid) await chown(dir, uid, gid);
      await chmod(dir, Number.parseInt(o.get('mode') ?? '0755', 8));
      const ro = o.get('readonly') === 'true' || o.get('ro') === 'true';
      binds.push({ source: dir, dest: dest(target), readOnly: ro });
    } else {
      const from = o.get('from');
      const source = o.get('source') ?? o.get('src') ?? '/';
      if (from === undefined && escapesRoot(source))
        throw invalid(instruction, `RUN --mount source=${source}: the path is outside the build context`);
      const root = from === undefined ? inputs.contextDir : await inputs.fromRoot(from);
      const host = await imagePath(root, source);
      const rw = o.get('rw') === 'true' || o.get('readwrite') === 'true';
      if (rw) {
        const copy = join(await mkdtemp(join(inputs.scratchDir, 'bind-')), 'data');
        await cloneTree(host, copy);
        binds.push({ source: copy, dest: dest(target) });
      } else binds.push({ source: host, dest: dest(target), readOnly: true });
    }
  }
  return binds;
}
