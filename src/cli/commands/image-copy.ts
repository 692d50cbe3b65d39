import type { Command } from 'commander';
import { copyImage, parseImageReference } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';

/**
 * `larder image copy SRC DST [--tag T]... [--insecure]`: copies an image (every platform of an
 * index) from one repository to another, on the same registry by cross-repository mounts, else
 * by streaming the verified blobs; blobs already there are skipped. What is attached (referrers,
 * cosign `.sig`/`.att`/`.sbom` tags) comes along unless `--no-attached`. The digest does not
 * change; it is printed. DST without tag or digest takes SRC's tag.
 */
export async function imageCopyCommand(
  src: string,
  dst: string,
  opts: { tag?: string[]; attached?: boolean; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const source = parseImageReference(src);
  const target = parseImageReference(dst);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  try {
    const copied = await copyImage(source, target, {
      client,
      tags: opts.tag ?? [],
      attached: opts.attached !== false,
    });
    process.stdout.write(`${copied.digest}\n`);
  } finally {
    progress.close();
    await client.close();
  }
}
