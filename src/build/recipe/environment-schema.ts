/**
 * A recipe's `environment` (and a test's): apko's ImageConfiguration as melange embeds it, every
 * key apko knows, strict. Recipes use contents, environment and accounts; the rest is accepted
 * because melange's decoder accepts it.
 */
import { z } from 'zod';
import { str, stringList, stringMap, uint } from './scalars.js';

const user = z.strictObject({
  username: str.exactOptional(),
  uid: uint.exactOptional(),
  gid: uint.exactOptional(),
  shell: str.exactOptional(),
  homedir: str.exactOptional(),
});

const group = z.strictObject({
  groupname: str.exactOptional(),
  gid: uint.exactOptional(),
  members: stringList.exactOptional(),
});

const pathMutation = z.strictObject({
  path: str.exactOptional(),
  type: str.exactOptional(),
  uid: uint.exactOptional(),
  gid: uint.exactOptional(),
  permissions: uint.exactOptional(),
  source: str.exactOptional(),
  recursive: str.exactOptional(),
});

/** apko `ImageContents`. */
export const contentsSchema = z.strictObject({
  build_repositories: stringList.exactOptional(),
  runtime_repositories: stringList.exactOptional(),
  repositories: stringList.exactOptional(),
  keyring: stringList.exactOptional(),
  runtime_keyring: z.array(z.strictObject({ name: str, content: str })).exactOptional(),
  packages: stringList.exactOptional(),
  baseimage: z.strictObject({ image: str.exactOptional(), apkindex: str.exactOptional() }).exactOptional(),
});

/** apko `ImageConfiguration` as a build or test environment. */
export const environmentSchema = z.strictObject({
  contents: contentsSchema.exactOptional(),
  entrypoint: z
    .strictObject({
      type: str.exactOptional(),
      command: str.exactOptional(),
      'shell-fragment': str.exactOptional(),
      services: stringMap.exactOptional(),
    })
    .exactOptional(),
  cmd: str.exactOptional(),
  'stop-signal': str.exactOptional(),
  'work-dir': str.exactOptional(),
  accounts: z
    .strictObject({
      'run-as': str.exactOptional(),
      users: z.array(user).exactOptional(),
      groups: z.array(group).exactOptional(),
    })
    .exactOptional(),
  archs: stringList.exactOptional(),
  environment: stringMap.exactOptional(),
  paths: z.array(pathMutation).exactOptional(),
  'vcs-url': str.exactOptional(),
  annotations: stringMap.exactOptional(),
  include: str.exactOptional(),
  volumes: stringList.exactOptional(),
  layering: z.strictObject({ strategy: str.exactOptional(), budget: uint.exactOptional() }).exactOptional(),
  format: str.exactOptional(),
});

/** The environment as parsed. */
export type RecipeEnvironment = z.infer<typeof environmentSchema>;
