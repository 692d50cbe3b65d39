/**
 * Writing `apko.lock.json` exactly as apko does: Go's `json.MarshalIndent(lock, "", "  ")` plus
 * a trailing newline, fields in the order of apko's structs, `omitempty` fields dropped when
 * absent. Each optional field is written exactly when the model has it, so a lock keeps the shape
 * it was read in (a pre-0.13 lock is written back byte for byte).
 */
import type { ApkoLock, LockPackage, LockRangeChecksum, LockRepository } from './model.js';

/** Go's encoder escapes these in strings (HTML safety, and JavaScript line terminators). */
const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** The lock file's text. */
export function formatLockFile(lock: ApkoLock): string {
  const json = JSON.stringify(toJson(lock), (_key, value: unknown) => wellFormed(value), 2);
  const text = json.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
  return lock.finalNewline === false ? text : `${text}\n`;
}

/**
 * Go writes invalid UTF-16 (a lone surrogate, which JSON `\ud800` can produce) as U+FFFD;
 * JSON.stringify would escape it instead.
 */
function wellFormed(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Objects below are built key by key in apko's struct order; JSON.stringify keeps that order.
function toJson(lock: ApkoLock): object {
  const c = lock.contents;
  return {
    version: lock.version,
    ...(lock.config && {
      config: {
        ...(lock.config.name !== undefined && lock.config.name !== '' && { name: lock.config.name }),
        ...(lock.config.checksum !== undefined &&
          lock.config.checksum !== '' && { checksum: lock.config.checksum }),
      },
    }),
    contents: {
      keyring: c.keyring.map((k) => ({
        name: k.name,
        url: k.url,
        ...(k.content !== undefined && { content: k.content }),
      })),
      ...(c.buildRepositories && { build_repositories: c.buildRepositories.map(repo) }),
      ...(c.runtimeRepositories && { runtime_repositories: c.runtimeRepositories.map(repo) }),
      repositories: c.repositories.map(repo),
      packages: c.packages.map(pkg),
    },
  };
}

function repo(r: LockRepository): object {
  return { name: r.name, url: r.url, architecture: r.architecture };
}

function member(m: LockRangeChecksum): object {
  return { range: m.range, checksum: m.checksum };
}

function pkg(p: LockPackage): object {
  return {
    name: p.name,
    url: p.url,
    version: p.version,
    architecture: p.architecture,
    signature: member(p.signature),
    control: member(p.control),
    data: member(p.data),
    ...(p.checksum !== undefined && { checksum: p.checksum }),
  };
}
