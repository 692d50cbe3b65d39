import type { ImageConfig } from './model.js';

/** A config with nothing set: what `larder install` composes with, and a base for tests. */
export const EMPTY_IMAGE_CONFIG: ImageConfig = {
  contents: {
    repositories: [],
    buildRepositories: [],
    runtimeRepositories: [],
    keyring: [],
    runtimeKeyring: [],
    packages: [],
  },
  accounts: { users: [], groups: [] },
  archs: [],
  paths: [],
  volumes: [],
};
