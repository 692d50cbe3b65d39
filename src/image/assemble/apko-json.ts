/**
 * `/etc/apko.json` (apko `WriteEtcApkoConfig`): the configuration one arch's image was built
 * from, after apko locked it, encoded by Go's `json.Encoder` from `types.ImageConfiguration`.
 * That locked config (`LockImageConfiguration` + `Validate`) is a copy made by `MergeInto`, so
 * it has no `vcs-url` and no `include`; `archs` is the one arch; `contents.packages` is every
 * installed package as `name=version` (with the `@tag` its world entry had), sorted, or the
 * lock's entries in lock order; repositories, build repositories and keyring are sorted sets;
 * users get their default home; a service bundle gets its command and `s6` appended.
 */
import { ociArchName, parseImageArch } from '../config/archs.js';
import type { ImageConfig, ImageGroup, ImageUser, PathMutation } from '../config/model.js';
import {
  goString,
  goStruct,
  omitBool,
  omitList,
  omitMap,
  omitNumber,
  omitString,
  pointerNumber,
} from './go-json.js';
import { osReleaseFields } from './os-release-config.js';
import { isServiceBundle, S6_COMMAND } from './s6.js';
import { compareBytes, type RootTree } from './tree.js';
import { writeFile } from './tree-files.js';

/**
 * apko's `unify`: each installed package as `name=version`, with the `@tag` of the world entry
 * that named it, in byte order.
 */
export function lockedPackageList(
  installed: ReadonlyArray<{ readonly name: string; readonly version: string }>,
  world: readonly string[],
): string[] {
  const pins = new Map<string, string>();
  for (const entry of world) {
    const at = entry.indexOf('@');
    const pin = at < 0 ? '' : entry.slice(at);
    const op = entry.search(/[=<>~]/);
    const name = op < 0 ? entry : entry.slice(0, op);
    pins.set(pin !== '' && name.endsWith(pin) ? name.slice(0, -pin.length) : name, pin);
  }
  return installed.map((p) => `${p.name}=${p.version}${pins.get(p.name) ?? ''}`).sort(compareBytes);
}

const sortedSet = (list: readonly string[]) => [...new Set(list)].sort(compareBytes);

/** The JSON text apko writes for `config` locked to `packages`, built for `arch`, with its newline. */
export function apkoJson(config: ImageConfig, arch: string, packages: readonly string[]): string {
  const c = config.contents;
  const ep = config.entrypoint;
  const bundle = isServiceBundle(config);
  const image = parseImageArch(arch);
  const contents = goStruct([
    ['build_repositories', omitList(sortedSet(c.buildRepositories), goString)],
    ['runtime_repositories', omitList(c.runtimeRepositories, goString)],
    ['repositories', omitList(sortedSet(c.repositories), goString)],
    ['keyring', omitList(sortedSet(c.keyring), goString)],
    [
      'runtime_keyring',
      omitList(c.runtimeKeyring, (k) =>
        goStruct([
          ['name', omitString(k.name)],
          ['content', omitString(k.content)],
        ]),
      ),
    ],
    ['packages', omitList([...packages, ...(bundle ? ['s6'] : [])], goString)],
    [
      'baseimage',
      c.baseimage &&
        goStruct([
          ['image', omitString(c.baseimage.image)],
          ['apkindex', omitString(c.baseimage.apkindex)],
        ]),
    ],
  ]);
  const entrypoint = goStruct([
    ['type', omitString(ep?.type)],
    ['command', omitString(bundle ? S6_COMMAND : ep?.command)],
    ['shell-fragment', omitString(ep?.shellFragment)],
    ['services', omitMap(ep?.services)],
  ]);
  const accounts = goStruct([
    ['run-as', omitString(config.accounts.runAs)],
    ['users', omitList(config.accounts.users, user)],
    ['groups', omitList(config.accounts.groups, group)],
  ]);
  const l = config.layering;
  const certs = config.certificates;
  return `${goStruct([
    ['contents', contents],
    ['entrypoint', entrypoint],
    ['cmd', omitString(config.cmd)],
    ['stop-signal', omitString(config.stopSignal)],
    ['work-dir', omitString(config.workDir)],
    ['accounts', accounts],
    ['archs', `[${goString(image === undefined ? arch : ociArchName(image))}]`],
    ['environment', omitMap(config.environment)],
    ['paths', omitList(config.paths, pathMutation)],
    ['os-release', config.osRelease && osRelease(config)],
    ['annotations', omitMap(config.annotations)],
    ['volumes', omitList(config.volumes, goString)],
    [
      'layering',
      l &&
        goStruct([
          ['strategy', omitString(l.strategy)],
          ['budget', omitNumber(l.budget)],
        ]),
    ],
    ['format', omitString(config.format)],
    [
      'certificates',
      certs &&
        goStruct([
          [
            'additional',
            omitList(certs.additional, (a) =>
              goStruct([
                ['name', omitString(a.name)],
                ['content', omitString(a.content)],
              ]),
            ),
          ],
          ['providers', omitList(certs.providers, goString)],
        ]),
    ],
  ])}\n`;
}

function user(u: ImageUser): string {
  return goStruct([
    ['username', omitString(u.username)],
    ['uid', omitNumber(u.uid)],
    ['gid', pointerNumber(u.gid)],
    ['shell', omitString(u.shell)],
    // apko's Validate gives a user without a home `/home/<name>` before the file is written.
    ['homedir', omitString(u.homedir || `/home/${u.username ?? ''}`)],
  ]);
}

function group(g: ImageGroup): string {
  return goStruct([
    ['groupname', omitString(g.groupname)],
    ['gid', omitNumber(g.gid)],
    ['members', omitList(g.members, goString)],
  ]);
}

function pathMutation(p: PathMutation): string {
  return goStruct([
    ['path', omitString(p.path)],
    ['type', omitString(p.type)],
    ['uid', pointerNumber(p.uid)],
    ['gid', pointerNumber(p.gid)],
    ['permissions', omitNumber(p.permissions)],
    ['source', omitString(p.source)],
    ['recursive', omitBool(p.recursive)],
  ]);
}

/** larder's `os-release` (apko's old `OSRelease`, in its field order), defaults filled in. */
function osRelease(config: ImageConfig): string {
  const f = osReleaseFields(config.osRelease ?? {});
  return goStruct([
    ['name', omitString(f.name)],
    ['id', omitString(f.id)],
    ['version-id', omitString(f.versionId)],
    ['pretty-name', omitString(f.prettyName)],
    ['home-url', omitString(f.homeUrl)],
    ['bug-report-url', omitString(f.bugReportUrl)],
  ]);
}

/** Writes `etc/apko.json`, mode 0444 (apko creates it, then chmods it). */
export function writeApkoJson(tree: RootTree, json: string, mtime: number): void {
  writeFile(
    tree,
    tree.resolveParent('etc/apko.json', 'apko.json'),
    json,
    { mode: 0o444, force: true },
    mtime,
  );
}
