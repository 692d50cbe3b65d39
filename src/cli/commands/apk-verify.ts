import {
  type ApkKeyring,
  assertApkVerified,
  EMPTY_KEYRING,
  loadKeyring,
  readApkPackage,
} from '../../apk/index.js';
import { LarderError } from '../../core/index.js';
import { ExitStatus } from '../program.js';

/**
 * `larder apk verify FILE... --keyring PATH...`: one line per file, in input order:
 * `OK FILE`, `BAD FILE: reason` or `UNTRUSTED FILE: reason`. Exit 0 only when all are OK;
 * 1 when any is BAD or UNTRUSTED; 2 when a file could not be read at all.
 */
export async function apkVerify(files: readonly string[], opts: { keyring?: string[] }): Promise<void> {
  const keyring: ApkKeyring = opts.keyring?.length ? await loadKeyring(opts.keyring) : EMPTY_KEYRING;
  let status = 0;
  for (const file of files) {
    try {
      assertApkVerified(await readApkPackage(file, { keyring }));
      process.stdout.write(`OK ${file}\n`);
    } catch (err) {
      if (!(err instanceof LarderError)) throw err;
      const untrusted = err.code === 'SIGNATURE_UNTRUSTED';
      const unreadable = err.code === 'IO' || err.code === 'NOT_FOUND';
      process.stdout.write(`${untrusted ? 'UNTRUSTED' : 'BAD'} ${file}: ${reasonOf(err, file)}\n`);
      status = Math.max(status, unreadable ? 2 : 1);
    }
  }
  if (status) throw new ExitStatus(status);
}

function reasonOf(err: LarderError, file: string): string {
  const prefix = `${file}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}
