import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LarderError } from '../../core/index.js';
import {
  dockerConfigCredentials,
  parseImageReference,
  pushOciLayout,
  RegistryClient,
} from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { buildToOutput, type ImageBuildOptions } from './image-build.js';

interface PublishOptions extends Omit<ImageBuildOptions, 'output' | 'format' | 'tag'> {
  readonly insecure?: boolean;
}

/**
 * `larder image publish CONFIG REF... [--lockfile F]`: builds the image index once and pushes
 * it under every reference; prints `sha256:<hex>` of the pushed index. Credentials come from
 * `~/.docker/config.json`; loopback registries are spoken to over plain HTTP, as docker does.
 */
export async function imagePublishCommand(
  configPath: string,
  refs: readonly string[],
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as PublishOptions;
  const targets = refs.map((r) => parseImageReference(r));
  const globals = globalsOf(cmd);
  const progress = progressRenderer(process.stderr, { quiet: globals.quiet });
  const dir = await mkdtemp(join(tmpdir(), 'larder-publish-'));
  const client = new RegistryClient({
    auth: dockerConfigCredentials(),
    onProgress: progress.listener,
    ...(o.insecure ? { insecure: true } : {}),
  });
  try {
    const layout = join(dir, 'layout');
    const { digest: built } = await buildToOutput(
      configPath,
      { ...o, output: layout, tag: refs[0]! },
      globals.stateDir,
      'oci',
      progress.listener,
    );
    for (const target of targets) {
      const pushed = await pushOciLayout(layout, target, { client });
      if (pushed !== built)
        throw new LarderError('IO', `pushed ${pushed} to ${refs.join(', ')} but built ${built}`);
    }
    process.stdout.write(`${built}\n`);
  } finally {
    progress.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
}
