import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LarderError } from '../core/index.js';

/**
 * Trusted public keys by file name, as apk-tools keeps them in `/etc/apk/keys`: a signature
 * entry `.SIGN.RSA256.<name>` is checked with the key whose file name is exactly `<name>`.
 */
export interface ApkKeyring {
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** An empty keyring: nothing is trusted. */
export const EMPTY_KEYRING: ApkKeyring = { keys: new Map() };

/** Builds a keyring from in-memory PEM public keys keyed by file name. */
export function keyringFromPems(entries: Iterable<readonly [string, string | Uint8Array]>): ApkKeyring {
  const keys = new Map<string, KeyObject>();
  for (const [name, pem] of entries) keys.set(name, parsePublicKey(pem, name));
  return { keys };
}

/**
 * Loads public keys from files and directories (every regular file in a directory, as apk
 * reads its keys directory). A file that is not a PEM public key is an error naming it.
 */
export async function loadKeyring(paths: readonly string[]): Promise<ApkKeyring> {
  const keys = new Map<string, KeyObject>();
  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (err) {
      throw new LarderError('IO', `keyring ${path}: ${(err as Error).message}`, {
        cause: err,
        subject: path,
      });
    }
    const files = info.isDirectory()
      ? (await readdir(path, { withFileTypes: true }))
          .filter((d) => d.isFile())
          .map((d) => join(path, d.name))
          .sort()
      : [path];
    for (const file of files) keys.set(basename(file), parsePublicKey(await readFile(file), file));
  }
  return { keys };
}

function parsePublicKey(pem: string | Uint8Array, source: string): KeyObject {
  try {
    const key = createPublicKey({ key: Buffer.from(pem), format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`${key.asymmetricKeyType} key, APK keys are RSA`);
    return key;
  } catch (err) {
    throw new LarderError('KEY_INVALID', `${source}: not an RSA PEM public key (${(err as Error).message})`, {
      cause: err,
      subject: source,
    });
  }
}
