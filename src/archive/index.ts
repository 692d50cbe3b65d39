/**
 * Archive formats: gzip members (split exactly, streamed, written deterministically) and tar
 * (a push parser keeping every PAX record, a deterministic ustar+PAX writer, path checks), and
 * zip reading (jars, OSV exports).
 */

export { gzipBufferEvents, gzipBufferEventsAsync } from './gzip-buffer-events.js';
export {
  type GzipMember,
  type GzipMemberInfo,
  type GzipReadOptions,
  type GzipWriteOptions,
  gzipMember,
  splitGzipMembers,
} from './gzip-member.js';
export { type GzipEvent, gzipMemberStream, readGzipMembers } from './gzip-stream.js';
export { readTar, type TarEntry } from './read-tar.js';
export { checkLinkTarget, safeEntryPath } from './safe-path.js';
export type { TarEntryType, TarHeader } from './tar-header.js';
export { type TarEvent, TarParser, type TarReadOptions } from './tar-reader.js';
export {
  TAR_END_BLOCKS,
  type TarWriteEntry,
  tarEntry,
  tarHeader,
  tarPadding,
  writeTar,
} from './tar-writer.js';
export { type ReadZipOptions, readZipEntries, type ZipEntry } from './zip/index.js';
