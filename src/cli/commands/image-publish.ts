import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type AttestationForms, attachEvidence } from '../../attest/index.js';
import { LarderError } from '../../core/index.js';
import { publishAttestations } from '../../image/index.js';
import {
  MEDIA_TYPES,
  type OCIDescriptor,
  type OCIIndex,
  parseImageReference,
  pushOciLayout,
} from '../../oci/index.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { CLI_BUILDER_ID } from '../publish-evidence.js';
import { cliRegistryClient } from '../registry-client.js';
import { parseSignatureForms } from '../signature-forms.js';
import { readSigningKeyFile } from '../signing-key.js';
import { buildToOutput, type ImageBuildOptions } from './image-build.js';

interface PublishOptions extends Omit<ImageBuildOptions, 'output' | 'format' | 'tag'> {
  readonly insecure?: boolean;
  readonly key?: string;
  readonly attest?: boolean;
  readonly recursive?: boolean;
  readonly signFormat?: string;
  readonly builderId?: string;
}

function signForms(o: PublishOptions): AttestationForms {
  const forms = parseSignatureForms('--sign-format', o.signFormat);
  if (o.key === undefined) {
    for (const [flag, given] of [
      ['--attest', o.attest],
      ['--recursive', o.recursive],
      ['--sign-format', o.signFormat],
      ['--builder-id', o.builderId],
    ] as const) {
      if (given !== undefined && given !== false) throw new LarderError('USAGE', `${flag} needs --key`);
    }
  }
  return forms;
}

/**
 * `larder image publish CONFIG REF... [--lockfile F] [--key KEY [--attest] [--recursive]
 * [--sign-format legacy|bundle|both] [--builder-id URI]]`: builds the image index once and
 * pushes it under every reference; prints `sha256:<hex>` of the pushed index. With `--key` the
 * index (and with `--recursive` each platform manifest) is signed in every repository pushed to,
 * as `larder sign` does; `--attest` adds SLSA provenance v1 and the SPDX and CycloneDX SBOMs as
 * attestations, as `larder attest` does (see publishAttestations). Each attached artifact is
 * listed on stderr. Credentials come from `~/.docker/config.json`; loopback registries are
 * spoken to over plain HTTP, as docker does.
 */
export async function imagePublishCommand(
  configPath: string,
  refs: readonly string[],
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as PublishOptions;
  const forms = signForms(o);
  const targets = refs.map((r) => parseImageReference(r));
  const key = o.key === undefined ? undefined : await readSigningKeyFile(o.key);
  const globals = globalsOf(cmd);
  const progress = progressRenderer(process.stderr, { quiet: globals.quiet });
  const dir = await mkdtemp(join(tmpdir(), 'larder-publish-'));
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: o.insecure });
  try {
    const startedOn = new Date();
    const layout = join(dir, 'layout');
    const built = await buildToOutput(
      configPath,
      { ...o, output: layout, tag: refs[0]! },
      globals.stateDir,
      'oci',
      progress.listener,
    );
    for (const target of targets) {
      const pushed = await pushOciLayout(layout, target, { client });
      if (pushed !== built.digest)
        throw new LarderError('IO', `pushed ${pushed} to ${refs.join(', ')} but built ${built.digest}`);
    }
    if (key !== undefined) {
      const subjects = await signedSubjects(layout, built.digest, o.recursive === true);
      const repositories = new Map(targets.map((t) => [`${t.registry}/${t.repository}`, t]));
      for (const [name, target] of repositories) {
        const attestations = o.attest
          ? publishAttestations({
              loaded: built.loaded,
              images: built.images,
              indexDigest: built.digest,
              name,
              references: refs,
              builderId: o.builderId ?? CLI_BUILDER_ID,
              toolVersion: PACKAGE_VERSION,
              startedOn,
              finishedOn: new Date(),
              recursive: o.recursive === true,
            })
          : [];
        const records = await attachEvidence(client, target, { key, forms, subjects, attestations });
        for (const r of records) {
          const what = r.kind === 'signature' ? 'signature' : `attestation ${r.label}`;
          const note = r.added ? '' : ' (already there)';
          if (!globals.quiet)
            process.stderr.write(`${name}@${r.digest}: ${r.form} ${what} ${r.manifestDigest}${note}\n`);
        }
      }
    }
    process.stdout.write(`${built.digest}\n`);
  } finally {
    progress.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The index as pushed and, with `recursive`, each of its manifests: what gets signed. */
async function signedSubjects(layout: string, digest: string, recursive: boolean): Promise<OCIDescriptor[]> {
  const bytes = await readFile(join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)));
  const top: OCIDescriptor = { mediaType: MEDIA_TYPES.index, digest, size: bytes.length };
  if (!recursive) return [top];
  const index = JSON.parse(bytes.toString('utf8')) as OCIIndex;
  return [top, ...index.manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.size }))];
}
