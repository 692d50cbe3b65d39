/**
 * The zod schema of `apko.lock.json`, strict everywhere (a key larder does not know could not be
 * written back), with the value checks apko leaves to chance: byte ranges that follow each other,
 * digests of the right length, and a package checksum that agrees with its control hash.
 */
import { z } from 'zod';
import { APK_ARCHES, isValidVersion } from '../../apk/index.js';

const RANGE = /^bytes=(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$/;

/** [first, last] of a `bytes=a-b` range, or undefined when it is not one (or last < first). */
export function parseByteRange(range: string): [number, number] | undefined {
  const m = RANGE.exec(range);
  if (m === null) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  return last >= first && Number.isSafeInteger(last) ? [first, last] : undefined;
}

/** True when `text` is `<prefix><base64 of exactly `bytes` bytes>`, canonically padded. */
export function isPrefixedDigest(text: string, prefix: string, bytes: number): boolean {
  if (!text.startsWith(prefix)) return false;
  const b64 = text.slice(prefix.length);
  const raw = Buffer.from(b64, 'base64');
  return raw.length === bytes && raw.toString('base64') === b64;
}

const nonEmpty = z.string().min(1, 'must not be empty');

const digest = (prefix: string, bytes: number) =>
  z
    .string()
    .refine((s) => isPrefixedDigest(s, prefix, bytes), `is not '${prefix}' + base64 of ${bytes} bytes`);

const range = z
  .string()
  .refine((s) => parseByteRange(s) !== undefined, "is not a byte range 'bytes=<first>-<last>'");

const member = (prefix: string, bytes: number) => z.strictObject({ range, checksum: digest(prefix, bytes) });

/** An unsigned package has `{"range": "", "checksum": ""}` as its signature. */
const signature = z.strictObject({ range: z.string(), checksum: z.string() }).superRefine((sig, ctx) => {
  if (sig.range === '' && sig.checksum === '') return;
  if (parseByteRange(sig.range) === undefined) {
    ctx.addIssue({ code: 'custom', path: ['range'], message: "is not a byte range 'bytes=0-<last>'" });
  } else if (!sig.range.startsWith('bytes=0-')) {
    ctx.addIssue({ code: 'custom', path: ['range'], message: 'does not start at byte 0' });
  }
  if (!isPrefixedDigest(sig.checksum, 'sha1-', 20)) {
    ctx.addIssue({ code: 'custom', path: ['checksum'], message: "is not 'sha1-' + base64 of 20 bytes" });
  }
});

const lockPackage = z
  .strictObject({
    name: nonEmpty,
    url: nonEmpty,
    version: nonEmpty.refine(isValidVersion, 'is not a valid apk version'),
    architecture: z.enum(APK_ARCHES),
    signature,
    control: member('sha1-', 20),
    data: member('sha256-', 32),
    checksum: digest('Q1', 20).exactOptional(),
  })
  .superRefine((pkg, ctx) => {
    const sig = parseByteRange(pkg.signature.range);
    const control = parseByteRange(pkg.control.range);
    const data = parseByteRange(pkg.data.range);
    const controlStart = sig === undefined ? 0 : sig[1] + 1;
    if (control !== undefined && control[0] !== controlStart) {
      ctx.addIssue({
        code: 'custom',
        path: ['control', 'range'],
        message: `does not start at byte ${controlStart}`,
      });
    }
    if (control !== undefined && data !== undefined && data[0] !== control[1] + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['data', 'range'],
        message: `does not start at byte ${control[1] + 1}`,
      });
    }
    if (pkg.checksum !== undefined && pkg.checksum.slice(2) !== pkg.control.checksum.slice(5)) {
      ctx.addIssue({
        code: 'custom',
        path: ['checksum'],
        message: `does not match control.checksum '${pkg.control.checksum}' (both are the control member's SHA-1)`,
      });
    }
  });

const repository = z.strictObject({ name: nonEmpty, url: nonEmpty, architecture: nonEmpty });

/** apko reads a JSON `null` list as empty (a Go nil slice). */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === null ? [] : value), z.array(item));

export const lockFileSchema = z.strictObject({
  version: z.literal('v1', 'is not a supported lock version (larder reads v1)'),
  config: z
    .strictObject({
      name: z.string().exactOptional(),
      checksum: digest('sha256-', 32).exactOptional(),
    })
    .exactOptional(),
  contents: z.strictObject({
    keyring: list(z.strictObject({ name: nonEmpty, url: nonEmpty, content: z.string().exactOptional() })),
    build_repositories: list(repository).exactOptional(),
    runtime_repositories: list(repository).exactOptional(),
    repositories: list(repository),
    packages: list(lockPackage),
  }),
});

export type LockFileJson = z.infer<typeof lockFileSchema>;
