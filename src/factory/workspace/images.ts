/**
 * The images of a workspace (`images/*.yaml`, apko configs): each validated with the image
 * module's loader, hashed over the config and its includes, with the references larder.yaml
 * publishes it to. A config that does not load is kept with its `problem`.
 */
import { basename, extname, join, relative } from 'node:path';
import { LarderError, type PlacedIssue } from '../../core/index.js';
import { loadImageConfig } from '../../image/index.js';
import type { FactoryConfig, WorkspaceImage } from '../model.js';
import { issueLines, yamlFilesOf } from './recipes.js';
import { fileHash } from './tree-hash.js';

/** Loads every image config of `<root>/images`, sorted by name; problems never throw. */
export async function loadWorkspaceImages(root: string, config: FactoryConfig): Promise<WorkspaceImage[]> {
  const images: WorkspaceImage[] = [];
  for (const configFile of await yamlFilesOf(join(root, 'images'))) {
    const name = basename(configFile, extname(configFile));
    const publish = config.images.publish?.[name] ?? [];
    const display = relative(root, configFile);
    try {
      const loaded = await loadImageConfig(display, { cwd: root });
      const hex = Buffer.from(loaded.checksum.slice('sha256-'.length), 'base64').toString('hex');
      images.push({ name, configFile, publish, hash: `sha256:${hex}` });
    } catch (err) {
      if (!(err instanceof LarderError)) throw err;
      const hash = await fileHash(configFile);
      // CONFIG_INVALID carries its placed issues: one line each, without the summary line.
      const problem = Array.isArray(err.cause) ? issueLines(err.cause as PlacedIssue[]) : err.message;
      images.push({ name, configFile, publish, hash, problem });
    }
  }
  images.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.configFile < b.configFile ? -1 : 1));
  // `greet.yaml` and `greet.yml` would both be image greet: the second is a problem.
  return images.map((image, i) => {
    const earlier = images[i - 1];
    if (earlier === undefined || earlier.name !== image.name) return image;
    const problem = `${relative(root, image.configFile)}: image ${image.name} is also defined by ${relative(root, earlier.configFile)}`;
    return { ...image, problem };
  });
}
