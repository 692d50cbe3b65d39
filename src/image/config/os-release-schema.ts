/**
 * The `os-release` block, as apko had it until July 2024 (commit 8bcc559b, `types.OSRelease`):
 * what `/etc/os-release` says when no package provides that file. apko wrote the values
 * without escaping, ID and VERSION_ID bare and the others in double quotes, so larder refuses
 * values that would break the file for a shell or for os-release(5) readers.
 */
import { z } from 'zod';

/** Bare values (`ID=`, `VERSION_ID=`); ID also names `/etc/<id>-release`. */
const bare = z.string().regex(/^[A-Za-z0-9._-]*$/, 'only letters, digits, ".", "_" and "-" may be used');

/** Values written in double quotes. */
const quoted = z.string().regex(/^[^"\\`$\n\r]*$/, 'must be one line without ", \\, ` or $');

export const osReleaseSchema = z.strictObject({
  id: bare.exactOptional(),
  name: quoted.exactOptional(),
  'version-id': bare.exactOptional(),
  'pretty-name': quoted.exactOptional(),
  'home-url': quoted.exactOptional(),
  'bug-report-url': quoted.exactOptional(),
});
