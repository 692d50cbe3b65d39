/**
 * `larder init DIR`: a working workspace from the examples: the recipes and their sources, an
 * image config, an empty `advisories/`, freshly generated keys (RSA for packages, ECDSA P-256
 * for images) and a larder.yaml pointing at them. Written into a temporary sibling directory and
 * renamed into place, so DIR is either complete or untouched.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { generateApkKeyPair } from '../../apk/index.js';
import { writeEcdsaKeyPair } from '../../attest/index.js';
import { LarderError } from '../../core/index.js';
import { WORKSPACE_TEMPLATE } from './template.js';

/** Key names `larder init` generates (their files are named in the template's larder.yaml). */
export const INIT_KEYS = { apk: 'larder', image: 'cosign' } as const;

/** What {@link initWorkspace} made: the root and every file written, workspace-relative, sorted. */
export interface InitializedWorkspace {
  readonly root: string;
  readonly files: readonly string[];
}

/**
 * Creates a workspace at `dir`, which must not exist or be an empty directory.
 * Throws USAGE when it holds anything (nothing is overwritten), IO when writing fails.
 */
export async function initWorkspace(
  dir: string,
  options: { rsaBits?: number } = {},
): Promise<InitializedWorkspace> {
  const root = resolve(dir);
  await refuseNonEmpty(root);
  await mkdir(dirname(root), { recursive: true });
  const tmp = join(dirname(root), `.${basename(root)}.init-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(tmp);
    const files: string[] = [];
    for (const [path, text] of Object.entries(WORKSPACE_TEMPLATE)) {
      await mkdir(dirname(join(tmp, path)), { recursive: true });
      await writeFile(join(tmp, path), text, { mode: 0o644 });
      files.push(path);
    }
    await mkdir(join(tmp, 'advisories'));
    const keys = join(tmp, 'keys');
    await mkdir(keys, { mode: 0o700 });
    await generateApkKeyPair(INIT_KEYS.apk, {
      dir: keys,
      ...(options.rsaBits !== undefined && { bits: options.rsaBits }),
    });
    await writeEcdsaKeyPair(INIT_KEYS.image, { dir: keys });
    files.push(
      `keys/${INIT_KEYS.apk}.rsa`,
      `keys/${INIT_KEYS.apk}.rsa.pub`,
      `keys/${INIT_KEYS.image}.key`,
      `keys/${INIT_KEYS.image}.pub`,
    );
    await refuseNonEmpty(root);
    await rename(tmp, root);
    return { root, files: files.sort() };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (err instanceof LarderError) throw err;
    throw new LarderError('IO', `cannot create workspace ${root}: ${(err as Error).message}`, {
      subject: root,
      cause: err,
    });
  }
}

async function refuseNonEmpty(root: string): Promise<void> {
  let isDir: boolean;
  try {
    isDir = (await stat(root)).isDirectory();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new LarderError('IO', `cannot read ${root}: ${(err as Error).message}`, {
      subject: root,
      cause: err,
    });
  }
  if (!isDir) throw new LarderError('USAGE', `${root} exists and is not a directory`, { subject: root });
  if ((await readdir(root)).length > 0)
    throw new LarderError(
      'USAGE',
      `${root} is not empty: larder init only creates a new workspace (choose a new or empty directory)`,
      { subject: root },
    );
}
