import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTar } from '../../../src/archive/index.js';
import { runFetchStep, runSourceStep, type SourceStepInput } from '../../../src/build/fetch/index.js';
import { isLarderError } from '../../../src/core/index.js';
import { type ClosableFetcher, createFetcher } from '../../../src/repo/index.js';
import { type FakeHttpServer, startFakeHttpServer } from '../../kit/fake-http-server.js';
import { tempDir } from '../../kit/paths.js';
import { storedZip } from '../../kit/zip-writer.js';

// fetch runs on the host: archives made with the system tar (gzip, xz, bzip2, zstd) and a zip,
// served by a local HTTP server, from file:// URLs and from plain paths.

let server: FakeHttpServer;
let fetcher: ClosableFetcher;
let state: string;
let work: string;
let workspace: string;
const archives = new Map<string, Buffer>();

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('hex');

beforeAll(async () => {
  state = await tempDir('larder-fetch-state-');
  const src = join(state, 'src');
  await mkdir(join(src, 'hello-1.0', 'lib'), { recursive: true });
  await writeFile(join(src, 'hello-1.0', 'hello.c'), 'int main(void){return 0;}\n');
  await writeFile(join(src, 'hello-1.0', 'lib', 'util.c'), 'int util;\n');
  for (const [ext, flag] of [
    ['tar.gz', '-z'],
    ['tar.xz', '-J'],
    ['tar.bz2', '-j'],
    ['tar.zst', '--zstd'],
    ['tar', ''],
  ] as const) {
    const file = join(state, `hello-1.0.${ext}`);
    const flags = flag === '' ? [] : [flag];
    execFileSync('tar', [
      '--sort=name',
      '--owner=0',
      '--group=0',
      '-C',
      src,
      ...flags,
      '-cf',
      file,
      'hello-1.0',
    ]);
    archives.set(ext, await readFile(file));
  }
  archives.set(
    'zip',
    storedZip({
      'hello-1.0/': '',
      'hello-1.0/hello.c': 'int main(void){return 0;}\n',
      'hello-1.0/lib/': '',
      'hello-1.0/lib/util.c': 'int util;\n',
    }),
  );
  await writeFile(join(state, 'hello-1.0.zip'), archives.get('zip')!);
  server = await startFakeHttpServer();
  for (const [ext, bytes] of archives) server.put(`/dl/hello-1.0.${ext}`, bytes);
  fetcher = createFetcher({ stateDir: join(state, 'larder'), retries: 0 });
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
  await rm(state, { recursive: true, force: true });
});

beforeEach(async () => {
  work = await tempDir('larder-fetch-');
  workspace = join(work, 'home');
  await mkdir(workspace);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function step(inputs: Record<string, string>, name = 'fetch'): SourceStepInput {
  return { kind: 'fetch', name, workdir: '/home/build', inputs };
}

describe('fetch', () => {
  for (const ext of ['tar.gz', 'tar.xz', 'tar.bz2', 'tar.zst', 'tar', 'zip']) {
    it(`downloads, verifies and unpacks a .${ext} over http with strip-components=1`, async () => {
      const bytes = archives.get(ext)!;
      const uri = `${server.url}/dl/hello-1.0.${ext}`;
      const result = await runFetchStep(
        step({ uri, 'expected-sha256': sha256(bytes) }),
        { workspace },
        fetcher,
      );
      expect(await readFile(join(workspace, 'hello.c'), 'utf8')).toBe('int main(void){return 0;}\n');
      expect(await readFile(join(workspace, 'lib', 'util.c'), 'utf8')).toBe('int util;\n');
      // the artifact is kept under its own name, as wget leaves it
      expect(await readFile(join(workspace, `hello-1.0.${ext}`))).toEqual(bytes);
      expect((await readdir(workspace)).sort()).toEqual([`hello-1.0.${ext}`, 'hello.c', 'lib']);
      expect(result.messages.join('\n')).toContain(sha256(bytes));
    });
  }

  it('accepts file:// URLs and plain paths, sha512, strip-components=0, directory and delete', async () => {
    const bytes = archives.get('tar.gz')!;
    const path = join(state, 'hello-1.0.tar.gz');
    await runFetchStep(
      step({
        uri: pathToFileURL(path).href,
        'expected-sha512': sha512(bytes),
        'strip-components': '0',
        directory: 'src',
      }),
      { workspace },
      fetcher,
    );
    expect(await readFile(join(workspace, 'src', 'hello-1.0', 'hello.c'), 'utf8')).toContain('main');
    await runFetchStep(
      step({ uri: path, 'expected-sha256': sha256(bytes), directory: 'plain', delete: 'true' }),
      { workspace },
      fetcher,
    );
    expect(await readFile(join(workspace, 'plain', 'hello.c'), 'utf8')).toContain('main');
    expect((await readdir(workspace)).sort()).toEqual(['hello-1.0.tar.gz', 'plain', 'src']);
  });

  it('merges into a directory that already has files, replacing files of the same name', async () => {
    const bytes = archives.get('tar.xz')!;
    await mkdir(join(workspace, 'lib'));
    await writeFile(join(workspace, 'lib', 'keep.c'), 'kept\n');
    await writeFile(join(workspace, 'hello.c'), 'old\n');
    await runFetchStep(
      step({ uri: join(state, 'hello-1.0.tar.xz'), 'expected-sha256': sha256(bytes) }),
      { workspace },
      fetcher,
    );
    expect(await readFile(join(workspace, 'lib', 'keep.c'), 'utf8')).toBe('kept\n');
    expect(await readFile(join(workspace, 'lib', 'util.c'), 'utf8')).toBe('int util;\n');
    expect(await readFile(join(workspace, 'hello.c'), 'utf8')).toBe('int main(void){return 0;}\n');
  });

  it('keeps the artifact unextracted with extract=false', async () => {
    const bytes = archives.get('zip')!;
    await runFetchStep(
      step({ uri: `${server.url}/dl/hello-1.0.zip`, 'expected-sha256': sha256(bytes), extract: 'false' }),
      { workspace },
      fetcher,
    );
    expect(await readdir(workspace)).toEqual(['hello-1.0.zip']);
  });

  it('fails on a wrong sha256 naming the step, URL and both values, leaving nothing behind', async () => {
    const bytes = archives.get('tar.gz')!;
    const uri = `${server.url}/dl/hello-1.0.tar.gz`;
    const wrong = 'a'.repeat(64);
    const err = await runFetchStep(
      step({ uri, 'expected-sha256': wrong }, 'get sources'),
      { workspace, recipe: 'hello.yaml' },
      fetcher,
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'SOURCE_CHECKSUM_MISMATCH')).toBe(true);
    const message = (err as Error).message;
    expect(message).toContain("hello.yaml: step 'get sources' (fetch)");
    expect(message).toContain(uri);
    expect(message).toContain(`expected sha256 ${wrong}`);
    expect(message).toContain(`got ${sha256(bytes)}`);
    expect(await readdir(workspace)).toEqual([]);
  });

  it('fails on a wrong sha512 the same way', async () => {
    const wrong = 'b'.repeat(128);
    const err = await runFetchStep(
      step({ uri: join(state, 'hello-1.0.tar.xz'), 'expected-sha512': wrong }),
      { workspace },
      fetcher,
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'SOURCE_CHECKSUM_MISMATCH')).toBe(true);
    expect((err as Error).message).toContain(`got ${sha512(archives.get('tar.xz')!)}`);
    expect(await readdir(workspace)).toEqual([]);
  });

  it('reports a missing file over http with the step and URL', async () => {
    const uri = `${server.url}/dl/missing.tar.gz`;
    const err = await runFetchStep(
      step({ uri, 'expected-sha256': 'c'.repeat(64) }),
      { workspace },
      fetcher,
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'FETCH_NOT_FOUND')).toBe(true);
    expect((err as Error).message).toMatch(/step 'fetch'.*missing\.tar\.gz.*404/);
    expect(await readdir(workspace)).toEqual([]);
  });

  it('reports an artifact that is not an archive', async () => {
    server.put('/dl/notes.txt', 'just text\n');
    const err = await runFetchStep(
      step({ uri: `${server.url}/dl/notes.txt`, 'expected-sha256': sha256(Buffer.from('just text\n')) }),
      { workspace },
      fetcher,
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'FETCH_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/cannot extract .*notes\.txt \(tar\)/);
  });

  it('requires a checksum unless expected-none is set, and checks their form', async () => {
    const uri = join(state, 'hello-1.0.tar.gz');
    await expect(runFetchStep(step({ uri }), { workspace }, fetcher)).rejects.toThrow(
      /one of expected-sha256 or expected-sha512 is required/,
    );
    await expect(
      runFetchStep(step({ uri, 'expected-sha256': 'abc' }), { workspace }, fetcher),
    ).rejects.toThrow(/expected-sha256: "abc" is not 64 hex characters/);
    const result = await runFetchStep(step({ uri, 'expected-none': 'true' }), { workspace }, fetcher);
    expect(result.messages.join('\n')).toContain('skipped');
    expect(await readFile(join(workspace, 'hello.c'), 'utf8')).toContain('main');
  });

  it('refuses a directory outside the workspace', async () => {
    const bytes = archives.get('tar.gz')!;
    await expect(
      runFetchStep(
        step({
          uri: join(state, 'hello-1.0.tar.gz'),
          'expected-sha256': sha256(bytes),
          directory: '../escape',
        }),
        { workspace },
        fetcher,
      ),
    ).rejects.toThrow(/directory: "..\/escape" leaves the workspace/);
    expect(await readdir(work)).toEqual(['home']);
  });

  it('cannot write outside the workspace through an archive symlink or a .. member', async () => {
    const outside = join(work, 'outside');
    await mkdir(outside);
    const file = (name: string, text: string) => ({
      entry: { name, type: 'file' as const, mode: 0o644, mtime: 0 },
      data: Buffer.from(text),
    });
    const evil = gzipSync(
      writeTar(
        [
          { entry: { name: 'pkg/', type: 'directory', mode: 0o755, mtime: 0 } },
          { entry: { name: 'pkg/link', type: 'symlink', mode: 0o777, mtime: 0, linkname: outside } },
          file('pkg/link/pwned', 'through the link\n'),
          file('pkg/../../outside/dotdot', 'through ..\n'),
          file('pkg/ok.txt', 'fine\n'),
        ],
        { endBlocks: true },
      ),
    );
    const path = join(state, 'evil.tar.gz');
    await writeFile(path, evil);
    const err = await runFetchStep(
      step({ uri: path, 'expected-sha256': sha256(evil) }),
      { workspace },
      fetcher,
    ).catch((e: unknown) => e);
    expect(isLarderError(err, 'FETCH_FAILED')).toBe(true);
    expect((err as Error).message).toContain("Member name contains '..'");
    expect(await readdir(outside)).toEqual([]);
    // a failed extraction leaves nothing in the workspace either
    expect(await readdir(workspace)).toEqual([]);
  });

  it('is what runSourceStep runs for a fetch step', async () => {
    const bytes = archives.get('tar.gz')!;
    const result = await runSourceStep(
      step({ uri: join(state, 'hello-1.0.tar.gz'), 'expected-sha256': sha256(bytes) }),
      { workspace },
      { fetcher },
    );
    expect(result.messages.join('\n')).toContain('verified');
    expect(await readFile(join(workspace, 'hello.c'), 'utf8')).toContain('main');
  });
});
