import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  attestDigest,
  imageSubject,
  makeStatement,
  predicateTypeFor,
  resolveSubjects,
} from '../../attest/index.js';
import { inFile, LarderError } from '../../core/index.js';
import { parseImageReference } from '../../oci/index.js';
import { globalsOf } from '../program.js';
import { progressRenderer } from '../progress.js';
import { cliRegistryClient } from '../registry-client.js';
import { parseSignatureForms } from '../signature-forms.js';
import { readSigningKeyFile } from '../signing-key.js';

/** The predicate file as a JSON object; USAGE naming the file otherwise. */
async function readPredicate(file: string): Promise<Record<string, unknown>> {
  const text = await readFile(file, 'utf8').catch((err: unknown) => {
    throw inFile(file, err);
  });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new LarderError('USAGE', `predicate ${file}: not JSON (${(err as Error).message})`, {
      cause: err,
      subject: file,
    });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new LarderError('USAGE', `predicate ${file}: not a JSON object`, { subject: file });
  }
  return doc as Record<string, unknown>;
}

const already = (added: boolean) => (added ? '' : ' (already attested)');

/**
 * `larder attest REF --type T --predicate FILE --key KEY [--recursive] [--format F]`: wraps the
 * predicate in an in-toto Statement v1 whose subject is the digest REF resolves to (name =
 * registry/repository), signs it as a DSSE envelope and attaches it as cosign does, by default in
 * both forms: `legacy` (a layer of the `sha256-<hex>.att` manifest) and `bundle` (a sigstore
 * bundle v0.3 referrer). Prints `DIGEST FORM MANIFEST-DIGEST` per form per attested digest, with
 * `(already attested)` when this key had attested the same statement there.
 */
export async function attestCommand(
  ref: string,
  opts: {
    type: string;
    predicate: string;
    key: string;
    recursive?: boolean;
    format?: string;
    insecure?: boolean;
  },
  cmd: Command,
): Promise<void> {
  const image = parseImageReference(ref);
  const forms = parseSignatureForms('--format', opts.format);
  const predicateType = predicateTypeFor(opts.type);
  const predicate = await readPredicate(opts.predicate);
  const key = await readSigningKeyFile(opts.key);
  const progress = progressRenderer(process.stderr, { quiet: globalsOf(cmd).quiet });
  const client = cliRegistryClient({ onProgress: progress.listener, insecure: opts.insecure });
  try {
    const subjects = await resolveSubjects(client, image, opts.recursive === true);
    const name = `${image.registry}/${image.repository}`;
    for (const subject of subjects) {
      const statement = makeStatement([imageSubject(name, subject.digest)], predicateType, predicate);
      const done = await attestDigest(client, image, subject, statement, key, { forms });
      if (done.legacy !== undefined) {
        process.stdout.write(
          `${subject.digest} legacy ${done.legacy.manifest}${already(done.legacy.added)}\n`,
        );
      }
      if (done.bundle !== undefined) {
        process.stdout.write(
          `${subject.digest} bundle ${done.bundle.manifestDigest}${already(done.bundle.added)}\n`,
        );
      }
    }
  } finally {
    progress.close();
    await client.close();
  }
}
