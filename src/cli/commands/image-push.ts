import type { Command } from 'commander';
import { parseImageReference, pushOciLayout } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';

/**
 * `larder image push LAYOUT REF [--tag T]... [--ref-name NAME] [--insecure]`: pushes an OCI
 * layout's image (the first index.json entry, or the one named NAME) with every platform:
 * blobs the repository has are skipped, the rest uploaded in parallel; manifests by digest,
 * then the top one under REF's tag (`latest` without one) and each extra tag. Prints the digest.
 */
export async function imagePushCommand(
  layout: string,
  ref: string,
  opts: { tag?: string[]; refName?: string; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const target = parseImageReference(ref);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  try {
    const digest = await pushOciLayout(layout, target, {
      client,
      tags: opts.tag ?? [],
      ...(opts.refName === undefined ? {} : { refName: opts.refName }),
    });
    process.stdout.write(`${digest}\n`);
  } finally {
    progress.close();
    await client.close();
  }
}
