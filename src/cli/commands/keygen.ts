import { generateApkKeyPair } from '../../apk/index.js';
import { LarderError } from '../../core/index.js';

/** `larder keygen --name NAME [--out DIR]`: prints the two paths written. */
export async function keygen(opts: { name: string; out: string; bits: string }): Promise<void> {
  const bits = Number(opts.bits);
  if (!Number.isInteger(bits)) throw new LarderError('USAGE', `--bits '${opts.bits}': not an integer`);
  const { privateKeyPath, publicKeyPath } = await generateApkKeyPair(opts.name, { dir: opts.out, bits });
  process.stdout.write(`${privateKeyPath}\n${publicKeyPath}\n`);
}
