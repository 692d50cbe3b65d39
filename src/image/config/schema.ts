/**
 * The zod schema of one apko YAML file, key for key with apko's structs. Every object is
 * strict: apko decodes with yaml.v3 `KnownFields(true)`, so an unknown key anywhere is an error.
 */
import { z } from 'zod';
import { archsProblem, parseImageArch } from './archs.js';
import { certificatesSchema, SAFE_NAME } from './certificates-schema.js';
import { osReleaseSchema } from './os-release-schema.js';
import { worldEntryProblem } from './world-entry.js';

const UINT32_MAX = 0xffff_ffff;

const dependency = z.string().superRefine((text, ctx) => {
  const problem = worldEntryProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** Why a repository entry is malformed (apko: `URL` or `@tag URL`), or undefined. */
export function repositoryProblem(entry: string): string | undefined {
  if (entry.trim() === '') return 'a repository must not be empty';
  const parts = entry.split(' ');
  if (parts.length === 1) return entry.startsWith('@') ? `'${entry}' has a tag but no URL` : undefined;
  const [tag, url] = parts;
  if (parts.length !== 2 || url === undefined || url === '') {
    return `'${entry}' is not 'URL' or '@tag URL'`;
  }
  if (tag === undefined || !tag.startsWith('@') || tag.length <= 1) {
    return `'${entry}': the tag '${tag ?? ''}' must be '@name'`;
  }
  return undefined;
}

const repository = z.string().superRefine((text, ctx) => {
  const problem = repositoryProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const keyringEntry = z.string().min(1, 'a keyring entry must not be empty');

const arch = z.string().superRefine((name, ctx) => {
  if (name !== 'all' && parseImageArch(name) === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown architecture '${name}' (386 amd64 arm64 arm/v6 arm/v7 ppc64le riscv64 s390x loong64, their apk names, or all)`,
    });
  }
});

/** Runs a list-wide check even when some entries are invalid (zod skips it by default). */
const ALWAYS = { when: (payload: { value: unknown }) => Array.isArray(payload.value) };

const archList = z.array(arch).superRefine((names, ctx) => {
  const problem = archsProblem(names.filter((n) => typeof n === 'string'));
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
}, ALWAYS);

const runtimeKey = z.strictObject({
  name: z.string().regex(SAFE_NAME, 'a runtime_keyring name must be a safe file name (apko certNameRegex)'),
  content: z.string().min(1, 'a runtime_keyring entry needs content'),
});

const runtimeKeyring = z.array(runtimeKey).superRefine((keys, ctx) => {
  const seen = new Set<string>();
  (keys as readonly unknown[]).forEach((key, i) => {
    const name = typeof key === 'object' && key !== null && 'name' in key ? key.name : undefined;
    if (typeof name !== 'string') return;
    if (seen.has(name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${name}' is a duplicate` });
    seen.add(name);
  });
}, ALWAYS);

const uint32 = z.number().int().min(0).max(UINT32_MAX);
const stringMap = z.record(z.string(), z.string());

export const contentsSchema = z.strictObject({
  build_repositories: z.array(repository).exactOptional(),
  runtime_repositories: z.array(repository).exactOptional(),
  repositories: z.array(repository).exactOptional(),
  keyring: z.array(keyringEntry).exactOptional(),
  runtime_keyring: runtimeKeyring.exactOptional(),
  packages: z.array(dependency).exactOptional(),
  baseimage: z
    .strictObject({ image: z.string().exactOptional(), apkindex: z.string().exactOptional() })
    .exactOptional(),
});

const user = z.strictObject({
  username: z.string().exactOptional(),
  uid: uint32.exactOptional(),
  gid: uint32.exactOptional(),
  shell: z.string().exactOptional(),
  homedir: z.string().exactOptional(),
});

const group = z.strictObject({
  groupname: z.string().exactOptional(),
  gid: uint32.exactOptional(),
  members: z.array(z.string()).exactOptional(),
});

const pathMutation = z.strictObject({
  path: z.string().exactOptional(),
  type: z.string().exactOptional(),
  uid: uint32.exactOptional(),
  gid: uint32.exactOptional(),
  permissions: uint32.exactOptional(),
  source: z.string().exactOptional(),
  recursive: z.boolean().exactOptional(),
});

/** Every top-level key apko knows (apko `ImageConfiguration`, d1b5d5ec). */
export const imageConfigSchema = z.strictObject({
  contents: contentsSchema.exactOptional(),
  entrypoint: z
    .strictObject({
      type: z.string().exactOptional(),
      command: z.string().exactOptional(),
      'shell-fragment': z.string().exactOptional(),
      services: stringMap.exactOptional(),
    })
    .exactOptional(),
  cmd: z.string().exactOptional(),
  'stop-signal': z.string().exactOptional(),
  'work-dir': z.string().exactOptional(),
  accounts: z
    .strictObject({
      'run-as': z.string().exactOptional(),
      users: z.array(user).exactOptional(),
      groups: z.array(group).exactOptional(),
    })
    .exactOptional(),
  archs: archList.exactOptional(),
  environment: stringMap.exactOptional(),
  paths: z.array(pathMutation).exactOptional(),
  'vcs-url': z.string().exactOptional(),
  annotations: stringMap.exactOptional(),
  include: z.string().min(1, 'include must name a file').exactOptional(),
  volumes: z.array(z.string()).exactOptional(),
  layering: z
    .strictObject({ strategy: z.string().exactOptional(), budget: z.number().int().exactOptional() })
    .exactOptional(),
  format: z.enum(['tar', 'erofs']).exactOptional(),
  certificates: certificatesSchema.exactOptional(),
  /** Removed from apko in July 2024 (8bcc559b); larder keeps it: used when no package ships the file. */
  'os-release': osReleaseSchema.exactOptional(),
});

/** One file as the schema accepts it (YAML key names). */
export type ImageConfigFile = z.infer<typeof imageConfigSchema>;

/** Keys apko once had and removed, with a hint for the unknown-key report. */
export const REMOVED_KEYS: Readonly<Record<string, string>> = {};
