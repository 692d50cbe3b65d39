import type { Command } from 'commander';
import { parseImageReference, pullToOciLayout } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';

/**
 * `larder image pull REF -o OUT [--insecure]`: downloads the image (every platform of an index)
 * into the OCI layout directory OUT, every digest verified, written atomically; prints the
 * digest of what REF resolved to. Credentials come from `~/.docker/config.json`.
 */
export async function imagePullCommand(
  ref: string,
  opts: { output: string; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const source = parseImageReference(ref);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  try {
    const pulled = await pullToOciLayout(source, opts.output, { client });
    process.stdout.write(`${pulled.descriptor.digest}\n`);
  } finally {
    progress.close();
    await client.close();
  }
}
