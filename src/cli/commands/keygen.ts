import { generateApkKeyPair } from '../../apk/index.js';
import { passwordFromEnv, writeEcdsaKeyPair } from '../../attest/index.js';
import { LarderError } from '../../core/index.js';

export interface KeygenOptions {
  name: string;
  out: string;
  bits: string;
  type: string;
  encrypt?: boolean;
}

/**
 * `larder keygen [--type rsa|ecdsa-p256] --name NAME [--out DIR]`: prints the two paths written.
 * rsa: NAME.rsa and NAME.rsa.pub for APK signing; ecdsa-p256: cosign's NAME.key and NAME.pub
 * (with `--encrypt`, NAME.key in cosign's encrypted form under LARDER_PASSWORD / COSIGN_PASSWORD).
 */
export async function keygen(opts: KeygenOptions): Promise<void> {
  if (opts.type === 'ecdsa-p256') {
    if (opts.bits !== '4096')
      throw new LarderError('USAGE', '--bits applies to --type rsa only (P-256 keys are 256 bits)');
    let password: string | undefined;
    if (opts.encrypt === true) {
      password = passwordFromEnv();
      if (password === undefined) {
        throw new LarderError('USAGE', '--encrypt: set LARDER_PASSWORD (or COSIGN_PASSWORD) to the password');
      }
    }
    const { privateKeyPath, publicKeyPath } = await writeEcdsaKeyPair(opts.name, {
      dir: opts.out,
      ...(password === undefined ? {} : { password }),
    });
    process.stdout.write(`${privateKeyPath}\n${publicKeyPath}\n`);
    return;
  }
  if (opts.type !== 'rsa') {
    throw new LarderError('USAGE', `--type '${opts.type}': use rsa or ecdsa-p256`);
  }
  if (opts.encrypt === true) throw new LarderError('USAGE', '--encrypt applies to --type ecdsa-p256 only');
  const bits = Number(opts.bits);
  if (!Number.isInteger(bits)) throw new LarderError('USAGE', `--bits '${opts.bits}': not an integer`);
  const { privateKeyPath, publicKeyPath } = await generateApkKeyPair(opts.name, { dir: opts.out, bits });
  process.stdout.write(`${privateKeyPath}\n${publicKeyPath}\n`);
}
