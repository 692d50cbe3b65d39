// Regenerates the broken packages in test/fixtures/bad/ (run: npx tsx scripts/make-bad-packages.ts).
// Each file is built with larder's own writer and the test-only keys in test/fixtures/keys/,
// then broken in exactly one way; test/unit/apk/bad-packages.test.ts expects one error each.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ApkTreeEntry,
  formatPkgInfo,
  loadApkSigningKey,
  type PkgInfo,
  signRsa256,
  writeApkPackage,
} from '../src/apk/index.js';
import { gzipMember, type TarWriteEntry, tarEntry, writeTar } from '../src/archive/index.js';
import { hexDigest } from '../src/core/index.js';

const ROOT = join(import.meta.dirname, '..');
const BAD = join(ROOT, 'test', 'fixtures', 'bad');
const key = await loadApkSigningKey(join(ROOT, 'test/fixtures/keys/larder-test.rsa'));
const other = await loadApkSigningKey(join(ROOT, 'test/fixtures/keys/other-test.rsa'));

const meta = (description: string): Omit<PkgInfo, 'size' | 'datahash'> => ({
  pkgname: 'bad-sample',
  pkgver: '1.0.0-r0',
  pkgdesc: description,
  url: '',
  arch: 'x86_64',
  origin: 'bad-sample',
  license: 'MIT',
  depend: [],
  provides: [],
  install_if: [],
  replaces: [],
  triggers: [],
  extra: [],
});
const file = (path: string, content: string, sha1 = hexDigest('sha1', content)): ApkTreeEntry => ({
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  uname: 'root',
  gname: 'root',
  size: Buffer.byteLength(content),
  xattrs: [],
  sha1,
  source: Buffer.from(content),
});
const dir = (path: string): ApkTreeEntry => ({
  path,
  type: 'directory',
  mode: 0o755,
  uid: 0,
  gid: 0,
  uname: 'root',
  gname: 'root',
  size: 0,
  xattrs: [],
});

async function build(
  name: string,
  options: { description?: string; entries?: ApkTreeEntry[]; signKey?: typeof key },
): Promise<Buffer> {
  const path = join(BAD, `.${name}.tmp.apk`);
  await writeApkPackage(path, {
    meta: meta(options.description ?? 'a package broken on purpose'),
    entries: options.entries ?? [dir('etc'), file('etc/sample.conf', 'value = 1\n')],
    signKey: options.signKey ?? key,
  });
  const { readFileSync, rmSync } = await import('node:fs');
  const bytes = readFileSync(path);
  rmSync(path);
  return bytes;
}

/** Offsets of the gzip members of a package larder wrote: [signature, control, data]. */
async function members(bytes: Buffer): Promise<Buffer[]> {
  const { splitGzipMembers } = await import('../src/archive/index.js');
  return splitGzipMembers(bytes).map((m) => m.raw);
}

/** A package whose data tar is given raw (to smuggle entries the writer refuses). */
function assemble(dataTar: Buffer, pkgname = 'bad-sample'): Buffer {
  const data = gzipMember(dataTar);
  const info: PkgInfo = { ...meta('hand-assembled'), size: 0, datahash: hexDigest('sha256', data) };
  const text = formatPkgInfo(info).replace('pkgname = bad-sample', `pkgname = ${pkgname}`);
  const root = { uid: 0, gid: 0, uname: 'root', gname: 'root', mtime: 0 } as const;
  const control = gzipMember(
    writeTar([{ entry: { ...root, name: '.PKGINFO', type: 'file', mode: 0o644 }, data: Buffer.from(text) }], {
      endBlocks: false,
    }),
  );
  const sigEntry: TarWriteEntry = {
    ...root,
    name: '.SIGN.RSA256.larder-test.rsa.pub',
    type: 'file',
    mode: 0o644,
  };
  return Buffer.concat([gzipMember(tarEntry(sigEntry, signRsa256(key, control))), control, data]);
}
const tarOf = (...entries: TarWriteEntry[]) =>
  writeTar(
    entries.map((entry) => ({ entry, data: Buffer.alloc(entry.size ?? 0, 0x41) })),
    { endBlocks: true },
  );
const t = { mode: 0o644, mtime: 0, uid: 0, gid: 0 } as const;

const good = await build('good', {});
const [sig, control, data] = await members(good);
const changed = await members(
  await build('changed', {
    description: 'a different description',
    entries: [dir('etc'), file('etc/sample.conf', 'value = 2\n')],
  }),
);

const out: Record<string, Buffer> = {
  'truncated.apk': good.subarray(0, Math.floor(good.length * 0.7)),
  'bad-crc.apk': (() => {
    const b = Buffer.from(good);
    b[b.length - 6]! ^= 0xff;
    return b;
  })(),
  'tampered-data.apk': Buffer.concat([sig!, control!, changed[2]!]),
  'tampered-control.apk': Buffer.concat([sig!, changed[1]!, changed[2]!]),
  'unknown-key.apk': await build('unknown', { signKey: other }),
  'bad-file-checksum.apk': await build('checksum', {
    entries: [dir('etc'), file('etc/sample.conf', 'value = 1\n', '0'.repeat(40))],
  }),
  'escape-dotdot.apk': assemble(tarOf({ ...t, name: '../evil', type: 'file', size: 4 })),
  'escape-absolute.apk': assemble(tarOf({ ...t, name: '/etc/evil', type: 'file', size: 4 })),
  'symlink-outside.apk': assemble(
    tarOf(
      { ...t, name: 'usr', type: 'directory', mode: 0o755 },
      { ...t, name: 'usr/evil', type: 'symlink', linkname: '../../etc/shadow' },
    ),
  ),
  'no-end-blocks.apk': assemble(
    tarOf({ ...t, name: 'etc', type: 'directory', mode: 0o755 }).subarray(0, 512),
  ),
  'pkginfo-slash-name.apk': assemble(
    tarOf({ ...t, name: 'etc', type: 'directory', mode: 0o755 }),
    'evil/name',
  ),
};
void data;
for (const [name, bytes] of Object.entries(out)) writeFileSync(join(BAD, name), bytes);
console.log(`wrote ${Object.keys(out).length} files to ${BAD}`);
