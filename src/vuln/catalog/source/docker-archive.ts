// A `docker save` tarball (old `<id>/layer.tar` members or Docker 25's `blobs/sha256/…`): one
// pass over the file keeps the small JSON members and streams every member that looks like a
// layer through the collector; manifest.json then says which layers make the image, in order.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TarParser } from '../../../archive/index.js';
import { LarderError } from '../../../core/index.js';
import type { OCIPlatform } from '../../../oci/index.js';
import type { Catalog } from '../../model.js';
import { catalogRootfs } from '../scan/rootfs.js';
import { scanTarStream, type TarStreamResult } from '../scan/tar-stream.js';
import type { ImageCatalogOptions } from './oci-layout.js';
import { pickPlatform } from './platform.js';

const MAX_JSON = 8 * 1024 * 1024;
const SNIFF = 512;

interface ManifestEntry {
  readonly Config: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers: readonly string[];
}

/** What one pass over the archive gives. */
interface ArchiveMembers {
  readonly json: Map<string, Buffer>;
  readonly layers: Map<string, TarStreamResult>;
}

/**
 * Catalogues the image of a docker archive.
 * @throws LarderError TARGET_INVALID naming the file for a bad tar, a missing or bad
 *   manifest.json, or a missing or corrupt layer.
 */
export async function catalogDockerArchive(
  file: string,
  options: ImageCatalogOptions & { readonly gzipped?: boolean },
): Promise<Catalog> {
  const warnings: string[] = [];
  const members = await readMembers(file, options.gzipped === true, (m) => warnings.push(m));
  const manifestBytes = members.json.get('manifest.json');
  if (manifestBytes === undefined) fail(file, 'no manifest.json: not a docker archive');
  let manifest: ManifestEntry[];
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as ManifestEntry[];
    if (
      !Array.isArray(manifest) ||
      manifest.some((m) => typeof m?.Config !== 'string' || !Array.isArray(m.Layers))
    ) {
      throw new Error('expected a list of {Config, RepoTags, Layers}');
    }
  } catch (err) {
    fail(file, `manifest.json: ${(err as Error).message}`);
  }
  const images = manifest.map((entry) => ({ entry, platform: configPlatform(members, entry.Config, file) }));
  const { entry } = pickPlatform(images, options.platform, file);
  const layers = entry.Layers.map((name) => {
    const read = members.layers.get(name.replace(/^\.\//, ''));
    if (read === undefined) fail(file, `layer ${name} named by manifest.json is missing or not a tar`);
    const hex = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name)?.[1];
    if (hex !== undefined && read.digest !== `sha256:${hex}`)
      fail(file, `layer ${name} has digest ${read.digest}`);
    return read.scan;
  });
  const digest = manifestDigest(members, entry.Config);
  const names = (entry.RepoTags ?? []).filter((t): t is string => typeof t === 'string');
  return catalogRootfs({
    source: {
      kind: 'docker-archive',
      target: file,
      ...(digest === undefined ? {} : { digest }),
      ...(names.length === 0 ? {} : { names }),
    },
    layers,
    ...(options.distro === undefined ? {} : { distro: options.distro }),
    warnings,
  });
}

async function readMembers(
  file: string,
  gzipped: boolean,
  warn: (m: string) => void,
): Promise<ArchiveMembers> {
  const json = new Map<string, Buffer>();
  const layers = new Map<string, TarStreamResult>();
  const parser = new TarParser();
  // The member being read: its first bytes until they say what it is, then where they go.
  let name = '';
  let head: Buffer[] | undefined;
  let headSize = 0;
  let sink: 'json' | 'skip' | { input: PassThrough; done: Promise<TarStreamResult> } | undefined;

  const decide = (): void => {
    const first = Buffer.concat(head ?? []);
    head = undefined;
    const isTar = first.length >= 262 && first.toString('latin1', 257, 262) === 'ustar';
    if (first[0] === 0x7b /* { */ || first[0] === 0x5b /* [ */) sink = 'json';
    else if ((first[0] === 0x1f && first[1] === 0x8b) || isTar) {
      const input = new PassThrough();
      const done = scanTarStream(input, { compression: 'detect', name: `${file}:${name}`, warn });
      done.catch(() => undefined); // awaited at the member's end
      sink = { input, done };
    } else sink = 'skip';
    if (sink === 'json') head = [first];
    else if (sink !== 'skip') sink.input.write(first);
  };
  const data = async (bytes: Buffer): Promise<void> => {
    if (sink === undefined) {
      head!.push(Buffer.from(bytes));
      headSize += bytes.length;
      if (headSize >= SNIFF) decide();
      return;
    }
    if (sink === 'json') {
      head!.push(Buffer.from(bytes));
      headSize += bytes.length;
      if (headSize > MAX_JSON) sink = 'skip';
    } else if (sink !== 'skip' && !sink.input.write(Buffer.from(bytes))) {
      await Promise.race([once(sink.input, 'drain'), sink.done]);
    }
  };
  const end = async (): Promise<void> => {
    if (sink === undefined) decide();
    if (sink === 'json') json.set(name, Buffer.concat(head!));
    else if (sink !== 'skip' && sink !== undefined) {
      sink.input.end();
      layers.set(name, await sink.done);
    }
    sink = undefined;
    head = undefined;
  };

  try {
    const raw = createReadStream(file);
    const bytes = gzipped ? raw.pipe(createGunzip()).on('close', () => raw.destroy()) : raw;
    raw.on('error', (err) => bytes.destroy(err));
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      for (const ev of parser.write(chunk)) {
        if (ev.type === 'entry') {
          name = ev.header.name.replace(/^\.\//, '');
          sink = ev.header.type === 'file' ? undefined : 'skip';
          head = [];
          headSize = 0;
        } else if (ev.type === 'data') await data(ev.bytes);
        else if (ev.type === 'entry-end') await end();
      }
    }
    parser.end();
  } catch (err) {
    if (err instanceof LarderError && err.code === 'TARGET_INVALID') throw err;
    if (err instanceof LarderError || (err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new LarderError(
        'TARGET_INVALID',
        `${file}: not a readable docker archive: ${(err as Error).message}`,
        {
          cause: err,
          subject: file,
        },
      );
    }
    throw err;
  }
  return { json, layers };
}

function configPlatform(members: ArchiveMembers, config: string, file: string): OCIPlatform {
  const bytes = members.json.get(config.replace(/^\.\//, ''));
  if (bytes === undefined) fail(file, `image config ${config} named by manifest.json is missing`);
  try {
    const c = JSON.parse(bytes.toString('utf8')) as {
      os?: unknown;
      architecture?: unknown;
      variant?: unknown;
    };
    if (typeof c.os !== 'string' || typeof c.architecture !== 'string') throw new Error('no os/architecture');
    return {
      os: c.os,
      architecture: c.architecture,
      ...(typeof c.variant === 'string' ? { variant: c.variant } : {}),
    };
  } catch (err) {
    fail(file, `image config ${config}: ${(err as Error).message}`);
  }
}

/** The digest of the manifest blob (Docker 25+ and larder archives) whose config is `config`. */
function manifestDigest(members: ArchiveMembers, config: string): string | undefined {
  const configHex = /([0-9a-f]{64})(\.json)?$/.exec(config)?.[1];
  if (configHex === undefined) return undefined;
  for (const [name, bytes] of members.json) {
    const hex = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(name)?.[1];
    if (hex === undefined) continue;
    try {
      const doc = JSON.parse(bytes.toString('utf8')) as { config?: { digest?: unknown } };
      if (doc.config?.digest === `sha256:${configHex}`) return `sha256:${hex}`;
    } catch {
      // not JSON: not a manifest
    }
  }
  return undefined;
}

function fail(file: string, why: string): never {
  throw new LarderError('TARGET_INVALID', `${file}: ${why}`, { subject: file });
}
