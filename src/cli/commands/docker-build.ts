import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { hostApkArch } from '../../apk/index.js';
import { attachEvidence } from '../../attest/index.js';
import { LarderError } from '../../core/index.js';
import { buildDockerfile, dockerProvenance, parseDockerfile } from '../../dockerfile/index.js';
import { publishAttestations } from '../../image/index.js';
import { parseImageReference, pushOciLayout, writeOciLayout } from '../../oci/index.js';
import { createFetcher } from '../../repo/index.js';
import { sourceDateEpoch } from '../environment.js';
import { PACKAGE_VERSION } from '../package-version.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { CLI_BUILDER_ID } from '../publish-evidence.js';
import { cliRegistryClient } from '../registry-client.js';
import { parseSignatureForms } from '../signature-forms.js';
import { readSigningKeyFile } from '../signing-key.js';
import {
  buildArgs,
  checkFlags,
  type DockerBuildCommandOptions,
  platformArch,
  scanGate,
  secretFiles,
  writeSboms,
} from './docker-build-inputs.js';
import { parsePolicyOptions } from './scan.js';

/**
 * `larder docker build [-f FILE] [--build-arg K=V]... [--target T] [-t REF] [-o OUT] [--push] CONTEXT`:
 * builds the Dockerfile without a daemon (see buildDockerfile), then takes the image down the
 * composer's path: SBOMs (`--sbom-dir`), the scan gate (`--policy`/`--fail-on` with the scan's
 * data flags: exit 1 and nothing written or pushed), `-o` OCI layout, `--push` to `-t`, and with
 * `--key` signatures (and `--attest` provenance and SBOM attestations). Prints the image index
 * digest.
 */
export async function dockerBuildCommand(
  context: string,
  raw: Record<string, unknown>,
  cmd: Command,
): Promise<void> {
  const o = raw as unknown as DockerBuildCommandOptions;
  checkFlags(o);
  const forms = parseSignatureForms('--sign-format', o.signFormat);
  const policy = parsePolicyOptions({
    ...(o.failOn ? { failOn: o.failOn } : {}),
    ...(o.policy ? { policy: o.policy } : {}),
  });
  const gate = o.failOn !== undefined || (o.policy?.length ?? 0) > 0;
  const contextDir = resolve(context);
  const file = o.file ?? join(context, 'Dockerfile');
  const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new LarderError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `${file}: ${err.message}`, {
      subject: file,
    });
  });
  const dockerfile = parseDockerfile(
    bytes.toString('utf8'),
    file === join(context, 'Dockerfile') ? 'Dockerfile' : file,
  );
  const target = o.tag === undefined ? undefined : parseImageReference(o.tag);
  const key = o.key === undefined ? undefined : await readSigningKeyFile(o.key);
  const keys = await Promise.all(
    (o.keyring ?? []).map(async (k) => ({ name: basename(k), pem: await readFile(k, 'utf8') })),
  );
  const globals = globalsOf(cmd);
  const progress = progressRenderer(process.stderr, { quiet: globals.quiet });
  const workDir = await mkdtemp(join(tmpdir(), 'larder-docker-'));
  const epoch = process.env.SOURCE_DATE_EPOCH ? sourceDateEpoch() : undefined;
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: o.insecure });
  const say = (text: string) => {
    if (!globals.quiet) process.stderr.write(text);
  };
  try {
    const startedOn = new Date();
    const args = buildArgs(o.buildArg ?? []);
    const result = await buildDockerfile({
      dockerfile,
      contextDir,
      buildArgs: args,
      ...(o.target !== undefined ? { target: o.target } : {}),
      arch: o.platform === undefined ? hostApkArch() : platformArch(o.platform),
      fetcher: createFetcher({
        stateDir: globals.stateDir,
        offline: o.offline === true,
        onProgress: progress.listener,
      }),
      stateDir: globals.stateDir,
      workDir,
      network: o.network === true,
      secrets: secretFiles(o.secret ?? []),
      repositories: o.repository ?? [],
      keys,
      allowUntrusted: o.allowUntrusted === true,
      offline: o.offline === true,
      ...(epoch !== undefined ? { sourceDateEpoch: epoch } : {}),
      registry: { ...(o.insecure ? { insecure: true } : {}) },
      onProgress: progress.listener,
      onStep: (s) => say(`[${s.stage} ${s.step}/${s.steps}] ${s.text}\n`),
      onLine: (l) => say(`  ${l.text}\n`),
    });
    for (const w of result.warnings) process.stderr.write(`larder: warning: ${w}\n`);
    const layout = join(workDir, 'layout');
    const written = await writeOciLayout(layout, {
      images: [result.image.image],
      ...(o.tag ? { refName: o.tag } : {}),
    });
    const digest = written.index.digest;
    if (gate) await scanGate(layout, o, globals.stateDir, policy);
    if (o.sbomDir !== undefined) await writeSboms(o.sbomDir, result, digest, file, o.tag);
    if (o.output !== undefined)
      await writeOciLayout(resolve(o.output), {
        images: [result.image.image],
        ...(o.tag ? { refName: o.tag } : {}),
      });
    if (o.push && target !== undefined) {
      const pushed = await pushOciLayout(layout, target, { client });
      if (pushed !== digest) throw new LarderError('IO', `pushed ${pushed} to ${o.tag} but built ${digest}`);
      if (key !== undefined) {
        const name = `${target.registry}/${target.repository}`;
        const provenance = dockerProvenance(result, {
          dockerfile: file,
          dockerfileBytes: bytes,
          buildArgs: args,
          ...(o.target !== undefined ? { target: o.target } : {}),
          references: [o.tag!],
        });
        const attestations = o.attest
          ? publishAttestations({
              provenance,
              sbomName: file,
              images: [result.image],
              indexDigest: digest,
              name,
              references: [o.tag!],
              builderId: o.builderId ?? CLI_BUILDER_ID,
              toolVersion: PACKAGE_VERSION,
              startedOn,
              finishedOn: new Date(),
              recursive: false,
            })
          : [];
        const subjects = [{ mediaType: written.index.mediaType, digest, size: written.index.size }];
        const records = await attachEvidence(client, target, { key, forms, subjects, attestations });
        for (const r of records)
          say(
            `${name}@${r.digest}: ${r.form} ${r.kind === 'signature' ? 'signature' : `attestation ${r.label}`} ${r.manifestDigest}${r.added ? '' : ' (already there)'}\n`,
          );
      }
    }
    process.stdout.write(`${digest}\n`);
  } finally {
    progress.close();
    await client.close();
    await rm(workDir, { recursive: true, force: true });
  }
}
