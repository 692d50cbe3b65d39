/**
 * The workspace trigger: fs.watch (recursive) on recipes/, images/, advisories/, larder.yaml and
 * git's HEAD and refs, plus a poll comparing a fingerprint of those files (fs.watch misses
 * events: editors that rename, network file systems, a watcher that could not start). Both only
 * wake the reconciler.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** What is watched, relative to the workspace root. */
const WATCHED = [
  'recipes',
  'images',
  'advisories',
  'larder.yaml',
  join('.git', 'HEAD'),
  join('.git', 'refs'),
];

function watched(rel: string): boolean {
  return WATCHED.some((w) => rel === w || rel.startsWith(`${w}${sep}`));
}

/** path → `mtime size` of every file under the watched paths, as one string (cheap: stats only). */
export async function workspaceFingerprint(root: string): Promise<string> {
  const parts: string[] = [];
  const visit = async (path: string): Promise<void> => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = await readdir(path);
      } catch {
        return;
      }
      for (const name of names.sort()) await visit(join(path, name));
      return;
    }
    parts.push(`${relative(root, path)} ${info.mtimeMs} ${info.size}`);
  };
  for (const w of WATCHED) await visit(join(root, w));
  return parts.join('\n');
}

export interface WorkspaceWatchOptions {
  readonly root: string;
  readonly wake: (reason: string) => void;
  /** Poll period (ms); 0: no poll. */
  readonly pollMs: number;
  /** Use fs.watch too (default true). */
  readonly watch?: boolean;
  /** Quiet time before a burst of file events wakes the reconciler once (ms, default 100). */
  readonly debounceMs?: number;
}

export interface Trigger {
  close(): void;
}

export function watchWorkspace(options: WorkspaceWatchOptions): Trigger {
  const debounceMs = options.debounceMs ?? 100;
  let debounce: NodeJS.Timeout | undefined;
  let poller: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let closed = false;
  let fingerprint: string | undefined;
  let polling = false;

  const changed = (reason: string): void => {
    if (closed) return;
    if (debounce !== undefined) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = undefined;
      if (!closed) options.wake(reason);
    }, debounceMs);
    debounce.unref?.();
  };

  if (options.watch !== false) {
    try {
      watcher = watch(options.root, { recursive: true }, (_event, name) => {
        const rel = name === null ? '' : String(name);
        if (rel === '' || watched(rel)) changed(`workspace changed${rel === '' ? '' : `: ${rel}`}`);
      });
      watcher.on('error', () => {
        // The poll still sees changes.
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined;
    }
  }

  const poll = async (): Promise<void> => {
    if (polling || closed) return;
    polling = true;
    try {
      const next = await workspaceFingerprint(options.root);
      if (fingerprint !== undefined && next !== fingerprint && !closed)
        options.wake('workspace changed (poll)');
      fingerprint = next;
    } finally {
      polling = false;
    }
  };
  if (options.pollMs > 0) {
    void poll();
    poller = setInterval(() => void poll(), options.pollMs);
    poller.unref?.();
  }

  return {
    close() {
      closed = true;
      if (debounce !== undefined) clearTimeout(debounce);
      if (poller !== undefined) clearInterval(poller);
      watcher?.close();
    },
  };
}
