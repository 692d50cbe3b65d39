import { createReadStream } from 'node:fs';
import { TAR_END_BLOCKS, type TarWriteEntry, tarEntry, tarHeader, tarPadding } from '../archive/index.js';
import { inFile, LarderError, writeFileAtomic } from '../core/index.js';
import { checkLayerSource } from './blob-files.js';
import { type ComposedImage, composeImage, type ImageInput, type LayerInput } from './compose.js';
import { encodeJson } from './json.js';
import {
  familiarImageReference,
  formatImageReference,
  parseImageReference,
  withDefaultTag,
} from './reference.js';
import { ANNOTATIONS, MEDIA_TYPES, OCI_LAYOUT_FILE, type OCIIndex } from './types.js';

/** Options of {@link writeDockerArchive}. */
export interface DockerArchiveOptions {
  /** Image references (`-t`); written as docker writes them (`alpine:3.20`); no tag means `latest`. */
  readonly repoTags?: readonly string[];
  /** mtime of every tar entry, in seconds (pass SOURCE_DATE_EPOCH); default 0. */
  readonly mtime?: number;
}

/** What was written. */
export interface DockerArchiveResult {
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly repoTags: readonly string[];
}

type Member =
  | { readonly name: string; readonly bytes: Uint8Array }
  | { readonly name: string; readonly layer: LayerInput };

/**
 * Writes ONE image as a `docker load`-able tarball, in the shape `docker save` has written
 * since Docker 25: `manifest.json` ([{Config, RepoTags, Layers}]) pointing at
 * `blobs/sha256/<hex>` (gzip layers, which docker accepts), plus `oci-layout` and `index.json`
 * so the same file is an OCI archive. Entries are sorted, owned by 0:0, modes 0755/0644, one
 * fixed mtime. Layer files are streamed, never buffered. Written atomically.
 */
export async function writeDockerArchive(
  file: string,
  image: ImageInput,
  options: DockerArchiveOptions = {},
): Promise<DockerArchiveResult> {
  const mtime = options.mtime ?? 0;
  const refs = (options.repoTags ?? []).map((text) => {
    const ref = withDefaultTag(parseImageReference(text));
    if (ref.digest !== undefined) throw new LarderError('USAGE', `a repo tag cannot have a digest: ${text}`);
    return ref;
  });
  for (const layer of image.layers) await checkLayerSource(layer);
  const composed = composeImage(image);
  const repoTags = refs.map(familiarImageReference);
  const blob = (digest: string) => `blobs/sha256/${digest.slice('sha256:'.length)}`;
  const manifestJson = [
    {
      Config: blob(composed.config.digest),
      RepoTags: repoTags,
      Layers: image.layers.map((l) => blob(l.digest)),
    },
  ];
  const index: OCIIndex = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.index,
    manifests: (refs.length === 0 ? [undefined] : refs).map((ref) => ({
      ...withoutPlatform(composed),
      ...(ref === undefined
        ? {}
        : {
            annotations: {
              'io.containerd.image.name': formatImageReference(ref),
              [ANNOTATIONS.refName]: ref.tag ?? 'latest',
            },
          }),
    })),
  };
  const members = new Map<string, Member>();
  const add = (member: Member) => members.set(member.name, member);
  for (const layer of image.layers) add({ name: blob(layer.digest), layer });
  add({ name: blob(composed.config.digest), bytes: composed.config.bytes });
  add({ name: blob(composed.manifest.digest), bytes: composed.manifest.bytes });
  add({ name: 'index.json', bytes: Buffer.from(encodeJson(index)) });
  add({ name: 'manifest.json', bytes: Buffer.from(encodeJson(manifestJson)) });
  add({ name: 'oci-layout', bytes: Buffer.from(encodeJson(OCI_LAYOUT_FILE)) });
  const sorted = [...members.values()].sort((a, b) =>
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)),
  );
  try {
    await writeFileAtomic(file, tarStream(sorted, mtime));
  } catch (err) {
    throw inFile(file, err);
  }
  return { manifestDigest: composed.manifest.digest, configDigest: composed.config.digest, repoTags };
}

function withoutPlatform(image: ComposedImage) {
  return {
    mediaType: image.descriptor.mediaType,
    digest: image.descriptor.digest,
    size: image.descriptor.size,
  };
}

async function* tarStream(members: readonly Member[], mtime: number): AsyncGenerator<Uint8Array> {
  const dir = (name: string): TarWriteEntry => ({
    name,
    type: 'directory',
    mode: 0o755,
    mtime,
    uid: 0,
    gid: 0,
  });
  yield tarEntry(dir('blobs/'));
  yield tarEntry(dir('blobs/sha256/'));
  for (const member of members) {
    const entry: TarWriteEntry = { name: member.name, type: 'file', mode: 0o644, mtime, uid: 0, gid: 0 };
    if ('bytes' in member) {
      yield tarEntry(entry, member.bytes);
      continue;
    }
    const { layer } = member;
    if ('bytes' in layer) {
      yield tarEntry(entry, layer.bytes);
      continue;
    }
    // Checked before writing began; a file that changes since is an I/O failure.
    const size = layer.size;
    yield tarHeader({ ...entry, size });
    let streamed = 0;
    const stream = size === 0 ? [] : createReadStream(layer.blobPath, { end: size - 1 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      streamed += chunk.length;
      yield chunk;
    }
    if (streamed !== size) throw new LarderError('IO', `${layer.blobPath} changed while it was read`);
    yield tarPadding(size);
  }
  yield TAR_END_BLOCKS;
}
