import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { larder } from './cli.js';
import { CLI, own, ROOT } from './paths.js';

/** The key the cached bootstrap repository is signed with (its `.pub` goes in extra-keyring). */
export const BOOTSTRAP_KEY = own('keys', 'larder-test.rsa');

/**
 * The host's C toolchain packaged as `host-toolchain` (examples/build/host-toolchain.sh), signed
 * with {@link BOOTSTRAP_KEY}: about 30 s to make, so it is kept in /tmp between tests and runs
 * (keyed by the script's bytes) and copied from there.
 */
export async function bootstrapRepository(): Promise<string> {
  const script = join(ROOT, 'examples', 'build', 'host-toolchain.sh');
  const tag = execFileSync('sha256sum', [script], { encoding: 'utf8' }).slice(0, 12);
  const cached = join(tmpdir(), `larder-test-host-toolchain-${tag}`);
  if (existsSync(join(cached, 'x86_64', 'APKINDEX.tar.gz'))) return cached;
  const building = `${cached}.${process.pid}`;
  await rm(building, { recursive: true, force: true });
  execFileSync('sh', [script, building, BOOTSTRAP_KEY], {
    stdio: 'pipe',
    env: { ...process.env, LARDER: `node ${CLI}` },
  });
  try {
    await rename(building, cached);
  } catch {
    // Another process won the race: its copy is as good.
    await rm(building, { recursive: true, force: true });
  }
  return cached;
}

export interface FactoryWorkspaceOptions {
  /** `127.0.0.1:<port>` of the registry the two images are pushed to. */
  readonly registry: string;
}

/** The two images of the end-to-end scenario and where they are published. */
export interface FactoryWorkspace {
  readonly dir: string;
  readonly images: { readonly greet: string; readonly 'greet-dev': string };
  /** cosign-style public key verifying the images' signatures. */
  readonly cosignPub: string;
}

/**
 * `larder init DIR` (the example workspace: host-libc, base-layout, libgreet, greet) made ready
 * for the end-to-end scenario: the bootstrap toolchain as an extra repository, and two images
 * that both hold libgreet (greet, which links it, and greet-dev, its headers), published to
 * `registry`.
 */
export async function prepareFactoryWorkspace(
  dir: string,
  options: FactoryWorkspaceOptions,
): Promise<FactoryWorkspace> {
  const init = larder(['init', dir]);
  if (init.status !== 0) throw new Error(`larder init: ${init.stderr}`);
  const bootstrap = await bootstrapRepository();
  await mkdir(join(dir, 'bootstrap'));
  await cp(bootstrap, join(dir, 'bootstrap'), { recursive: true });
  await writeFile(
    join(dir, 'images', 'greet-dev.yaml'),
    [
      '# The libgreet headers on the base layout: a second image holding libgreet.',
      'contents:',
      '  packages: [base-layout, libgreet-dev]',
      'entrypoint:',
      '  command: /bin/true',
      'archs: [x86_64]',
      '',
    ].join('\n'),
  );
  const images = {
    greet: `${options.registry}/larder/greet:latest`,
    'greet-dev': `${options.registry}/larder/greet-dev:latest`,
  };
  const config = await readFile(join(dir, 'larder.yaml'), 'utf8');
  const edited = config
    .replace('extra-repositories: []', 'extra-repositories: [bootstrap]')
    .replace('extra-keyring: []', `extra-keyring: [${BOOTSTRAP_KEY}.pub]`)
    .replace(
      '  # publish:\n  #   greet: [127.0.0.1:5000/larder/greet:latest]',
      `  publish:\n    greet: [${images.greet}]\n    greet-dev: [${images['greet-dev']}]`,
    );
  if (!/^ {2}extra-repositories: \[bootstrap\]$/m.test(edited) || !edited.includes(images['greet-dev']))
    throw new Error('the example larder.yaml changed: update test/kit/factory-workspace.ts');
  await writeFile(join(dir, 'larder.yaml'), edited);
  const check = larder(['workspace', 'check', dir]);
  if (check.status !== 0) throw new Error(`larder workspace check: ${check.stdout}${check.stderr}`);
  return { dir, images, cosignPub: join(dir, 'keys', 'cosign.pub') };
}

/** Sets `package.epoch` of `recipes/<name>.yaml` (the remediation a person or the factory makes). */
export async function setRecipeEpoch(workspace: string, name: string, epoch: number): Promise<void> {
  const file = join(workspace, 'recipes', `${name}.yaml`);
  const text = await readFile(file, 'utf8');
  const next = text.replace(/^(\s+epoch:\s*)\d+/m, `$1${epoch}`);
  if (next === text) throw new Error(`${file}: no epoch line to change`);
  await writeFile(file, next);
}
