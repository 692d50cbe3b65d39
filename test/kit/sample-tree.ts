import { chmod, link, mkdir, symlink, writeFile } from 'node:fs/promises';

/**
 * A small tree with every kind of entry a package holds: nested directories, an executable,
 * a setuid file, a symlink, a hard link, an empty file and a binary file.
 */
export async function makeSampleTree(root: string): Promise<void> {
  await mkdir(`${root}/usr/bin`, { recursive: true });
  await mkdir(`${root}/usr/share/doc/sample`, { recursive: true });
  await mkdir(`${root}/etc`, { recursive: true });
  await writeFile(`${root}/usr/bin/sample`, '#!/bin/sh\necho sample\n');
  await chmod(`${root}/usr/bin/sample`, 0o755);
  await writeFile(`${root}/usr/bin/suid`, 'x');
  await chmod(`${root}/usr/bin/suid`, 0o4755);
  await symlink('sample', `${root}/usr/bin/sample-link`);
  await link(`${root}/usr/bin/sample`, `${root}/usr/bin/sample-hard`);
  await writeFile(`${root}/etc/empty.conf`, '');
  const blob = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251));
  await writeFile(`${root}/usr/share/doc/sample/blob.bin`, blob);
  await writeFile(`${root}/usr/share/doc/sample/README`, 'sample package\n');
}
