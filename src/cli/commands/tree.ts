import type { Command } from 'commander';
import {
  type AttachedArtifacts,
  type AttachedLayer,
  discoverAttached,
  isEmptyAttachment,
  resolveDigest,
} from '../../attest/index.js';
import { formatPlatform, parseImageReference, type RepositoryName } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';

/**
 * `larder tree REF [--recursive] [--json] [--insecure]`: what is attached to REF's digest, as
 * `cosign tree` shows it: a header naming `registry/repository@digest`, then the `.sig`, `.att`
 * and `.sbom` tags and the OCI referrers (sorted by artifactType, then digest), each with its
 * layers. With --recursive on an index, the same block for each of its manifests. Nothing
 * attached: one line saying so, exit 0. `--json`: the discovered structure on one line.
 */
export async function treeCommand(
  ref: string,
  opts: { recursive?: boolean; json?: boolean; insecure?: boolean },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  let found: AttachedArtifacts;
  try {
    const { digest } = await resolveDigest(client, image);
    found = await discoverAttached(client, image, digest, { recursive: opts.recursive === true });
  } finally {
    progress.close();
    await client.close();
  }
  process.stdout.write(opts.json === true ? `${JSON.stringify(found)}\n` : renderTree(image, found));
}

/** The text form: one block per digest (the image, then its manifests with --recursive). */
export function renderTree(repo: RepositoryName, found: AttachedArtifacts): string {
  const name = `${repo.registry}/${repo.repository}`;
  if (isEmptyAttachment(found)) return `No supply chain artifacts found for ${name}@${found.digest}\n`;
  const lines: string[] = [];
  const block = (a: AttachedArtifacts, suffix: string) => {
    lines.push(`📦 Supply Chain Security Related artifacts for an image: ${name}@${a.digest}${suffix}`);
    const section = (
      title: string,
      layers: readonly AttachedLayer[],
      detail: (l: AttachedLayer) => string,
    ) => {
      lines.push(`└── ${title}`);
      layers.forEach((l, i) => {
        const extra = detail(l);
        lines.push(
          `   ${i === layers.length - 1 ? '└──' : '├──'} 🍒 ${l.digest}${extra === '' ? '' : ` ${extra}`}`,
        );
      });
    };
    if (a.signatures !== undefined) {
      section(`🔐 Signatures for an image tag: ${name}:${a.signatures.tag}`, a.signatures.layers, () => '');
    }
    if (a.attestations !== undefined) {
      section(
        `💾 Attestations for an image tag: ${name}:${a.attestations.tag}`,
        a.attestations.layers,
        (l) => l.predicateType ?? '',
      );
    }
    if (a.sbom !== undefined) {
      section(`📦 SBOMs for an image tag: ${name}:${a.sbom.tag}`, a.sbom.layers, (l) => l.mediaType);
    }
    for (const r of a.referrers) {
      const type = r.artifactType ?? r.mediaType;
      const missing = r.missing === true ? ' (listed, but the manifest is missing)' : '';
      section(
        `🔗 ${type} artifacts via OCI referrer: ${name}@${r.digest}${missing}`,
        r.layers,
        (l) => l.predicateType ?? '',
      );
    }
    const empty =
      a.signatures === undefined &&
      a.attestations === undefined &&
      a.sbom === undefined &&
      a.referrers.length === 0;
    if (empty) lines.push('└── no supply chain artifacts');
  };
  block(found, '');
  for (const child of found.children ?? []) {
    block(child, child.platform === undefined ? '' : ` (${formatPlatform(child.platform)})`);
  }
  return `${lines.join('\n')}\n`;
}
