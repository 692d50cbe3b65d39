import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTar } from '../../src/archive/index.js';
import { readOciLayout } from '../../src/oci/index.js';
import { apkoWorkspace } from '../kit/apko-workspace.js';
import { larder } from '../kit/cli.js';

// apko's own golden image of testdata/apko.yaml (apko internal/cli/testdata/golden, built by its
// TestBuild with annotations Title/Vendor and SOURCE_DATE_EPOCH unset), listed with
// `tar -tvzf --numeric-owner` for amd64. Our layer must hold the same entries with the same
// types, modes, owners, sizes and times, except where larder differs on purpose
// (README, "Where larder differs from apko"):
//  - etc/os-release keeps the owner its package gives it (501:20): apk-tools honours package
//    ownership; apko's golden shows 0:0;
//  - the installed database has no `i:[]` lines and writes `a:501:20:644` as apk-tools does
//    (apko: `a:501:20:0644`), so it is 11 bytes shorter.
const APKO_GOLDEN_AMD64 = `
d 755 0:0 0 dev
c 620 0:0 0 dev/console
c 666 0:0 0 dev/null
c 666 0:0 0 dev/random
c 666 0:0 0 dev/urandom
c 666 0:0 0 dev/zero
d 755 0:0 0 etc
d 755 0:0 0 etc/apk
f 644 0:0 7 etc/apk/arch
d 755 0:0 0 etc/apk/keys
f 644 0:0 800 etc/apk/keys/melange.rsa.pub
f 644 0:0 20 etc/apk/repositories
f 644 0:0 47 etc/apk/world
f 444 0:0 329 etc/apko.json
f 644 501:20 102 etc/os-release
f 644 0:0 0 etc/passwd
d 755 0:0 0 lib
l 777 0:0 0 lib/apk
d 755 0:0 0 opt
d 555 0:0 0 proc
d 1777 0:0 0 tmp
d 755 0:0 0 usr
d 755 0:0 0 usr/lib
d 755 0:0 0 usr/lib/apk
d 755 0:0 0 usr/lib/apk/db
f 644 0:0 745 usr/lib/apk/db/installed
f 600 0:0 0 usr/lib/apk/db/lock
f 644 0:0 1024 usr/lib/apk/db/scripts.tar
f 644 0:0 0 usr/lib/apk/db/triggers
d 755 0:0 0 usr/lib/apk/exec
d 755 0:0 0 var
d 755 0:0 0 var/cache
d 755 0:0 0 var/cache/apk
d 755 0:0 0 var/cache/misc
d 755 0:0 0 var/lib
d 755 0:0 0 var/lib/db
d 755 0:0 0 var/lib/db/sbom
f 644 0:0 2769 var/lib/db/sbom/pretend-baselayout-1.0.0-r0.spdx.json
f 644 0:0 2679 var/lib/db/sbom/replayout-1.0.0-r0.spdx.json
`
  .trim()
  .split('\n');

const TYPE = { directory: 'd', chardev: 'c', file: 'f', symlink: 'l' } as Record<string, string>;

describe("apko.yaml composed as apko's golden image", () => {
  it('has the same layer entries, world, apko.json and image config as apko writes, except documented differences', async () => {
    const dir = await apkoWorkspace();
    await appendFile(
      join(dir, 'apko.yaml'),
      '\nannotations:\n  org.opencontainers.image.vendor: Vendor\n  org.opencontainers.image.title: Title\n',
    );
    const r = larder(['image', 'build', 'apko.yaml', '-o', 'out', '--state-dir', join(dir, 'state')], {
      cwd: dir,
      env: { SOURCE_DATE_EPOCH: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const layout = await readOciLayout(join(dir, 'out'));
    const image = layout.entries[0]!.images.find((i) => i.config.architecture === 'amd64')!;
    const blob = await readFile(
      join(dir, 'out', 'blobs', 'sha256', image.manifest.layers[0]!.digest.slice(7)),
    );
    const entries = readTar(gunzipSync(blob));
    expect(
      entries.map((e) => {
        const h = e.header;
        return `${TYPE[h.type]} ${h.mode.toString(8)} ${h.uid}:${h.gid} ${h.size} ${h.name}`;
      }),
    ).toEqual(APKO_GOLDEN_AMD64);
    expect(entries.every((e) => e.header.mtime === 0)).toBe(true);
    // GNU tar, an independent reader, agrees on the listing and the link target.
    const path = join(dir, 'layer.tar.gz');
    await writeFile(path, blob);
    const listing = execFileSync('tar', ['-tvzf', path, '--numeric-owner'], { encoding: 'utf8' });
    expect(listing).toMatch(/^lrwxrwxrwx 0\/0 +0 [0-9-]+ [0-9:]+ lib\/apk -> \.\.\/usr\/lib\/apk$/m);
    expect(listing).toMatch(/^crw--w---- 0\/0 +5,1 .* dev\/console$/m);

    const text = (name: string) => entries.find((e) => e.header.name === name)!.data.toString('utf8');
    expect(text('etc/apk/world')).toBe('pretend-baselayout=1.0.0-r0\nreplayout=1.0.0-r0\n');
    expect(text('etc/apk/repositories')).toBe('./testdata/packages\n');
    expect(text('etc/apk/arch')).toBe('x86_64\n');
    expect(text('etc/apko.json')).toBe(
      '{"contents":{"repositories":["./testdata/packages"],"keyring":["./testdata/melange.rsa.pub"],"packages":["pretend-baselayout=1.0.0-r0","replayout=1.0.0-r0"]},"entrypoint":{"command":"/bin/sh -l"},"accounts":{},"archs":["amd64"],"annotations":{"org.opencontainers.image.title":"Title","org.opencontainers.image.vendor":"Vendor"}}\n',
    );
    expect(
      entries.find((e) => e.header.name === 'usr/lib/apk/db/scripts.tar')!.data.equals(Buffer.alloc(1024)),
    ).toBe(true);

    // The image config's container part and labels are apko's (author and history name larder).
    expect(image.config.created).toBe('1970-01-01T00:00:00Z');
    const annotations = {
      'org.opencontainers.image.created': '1970-01-01T00:00:00Z',
      'org.opencontainers.image.title': 'Title',
      'org.opencontainers.image.vendor': 'Vendor',
    };
    expect(image.config.config).toEqual({
      Entrypoint: ['/bin/sh', '-l'],
      Env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/bin:/usr/sbin:/sbin:/bin',
        'SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
      ],
      Labels: annotations,
    });
    expect(image.manifest.annotations).toEqual(annotations);
  });
});
