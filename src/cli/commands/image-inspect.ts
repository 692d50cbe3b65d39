import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LarderError } from '../../core/index.js';
import { type InspectedLayout, inspectLayout } from '../../image/index.js';
import { parseImageReference, pullToOciLayout } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { bytes, progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';

/**
 * `larder image inspect OUT|REF [--json]`: per platform of an OCI layout or a registry image,
 * the manifest and config digests, layers (compressed and uncompressed, each blob hashed once
 * while read), created, entrypoint/cmd, and the packages of the installed database found in the
 * layers. A registry image is pulled (every digest verified) into a temporary layout first: the
 * packages are inside the layers.
 */
export async function imageInspectCommand(
  target: string,
  opts: { json?: boolean; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const result = (await isDirectory(target))
    ? await inspectLayout(target)
    : await inspectReference(target, opts.insecure === true, globalsOf(cmd).quiet);
  process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : renderText(result));
}

/** Pulls `ref` into a temporary OCI layout and inspects that; `ref` is shown as given. */
async function inspectReference(target: string, insecure: boolean, quiet: boolean): Promise<InspectedLayout> {
  let ref: ReturnType<typeof parseImageReference>;
  try {
    ref = parseImageReference(target);
  } catch (err) {
    throw new LarderError(
      'USAGE',
      `'${target}' is neither an OCI layout directory nor an image reference: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const progress = progressRenderer(process.stderr, { quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure });
  const dir = await mkdtemp(join(tmpdir(), 'larder-inspect-'));
  try {
    await pullToOciLayout(ref, join(dir, 'layout'), { client });
    const inspected = await inspectLayout(join(dir, 'layout'));
    return { ...inspected, ref: target };
  } finally {
    progress.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function renderText(result: InspectedLayout): string {
  const lines: string[] = [];
  if (result.index) lines.push(`index: ${result.index}`);
  if (result.ref) lines.push(`ref: ${result.ref}`);
  for (const img of result.images) {
    const compressed = img.layers.reduce((n, l) => n + l.size, 0);
    const uncompressed = img.layers.reduce((n, l) => n + l.uncompressedSize, 0);
    lines.push('', `${img.platform}`, `  manifest:   ${img.manifest}`, `  config:     ${img.config}`);
    if (img.created !== undefined) lines.push(`  created:    ${img.created}`);
    if (img.entrypoint) lines.push(`  entrypoint: ${JSON.stringify(img.entrypoint)}`);
    if (img.cmd) lines.push(`  cmd:        ${JSON.stringify(img.cmd)}`);
    lines.push(`  size:       ${bytes(compressed)} compressed, ${bytes(uncompressed)} uncompressed`);
    lines.push(`  layers:     ${img.layers.length}`);
    for (const l of img.layers) {
      lines.push(
        `    ${l.digest}  ${l.size} bytes (${l.uncompressedSize} uncompressed, diff_id ${l.diffId})`,
      );
    }
    lines.push(`  packages:   ${img.packages.length}`);
    for (const [name, version] of img.packages) lines.push(`    ${name} ${version}`);
  }
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
