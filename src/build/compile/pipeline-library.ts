/**
 * Where `uses:` finds pipelines: each `--pipeline-dir` in order (`DIR/NAME.yaml`), then the
 * built-in pipelines, as melange searches. Each file is parsed once and shared by every recipe
 * compiled with the same library.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LarderError } from '../../core/index.js';
import type { PipelineStep } from '../recipe/pipeline-schema.js';
import { parsePipelineFile } from './pipeline-file.js';

/** Finds and parses pipelines by name. */
export class PipelineLibrary {
  readonly #dirs: readonly string[];
  readonly #builtins: ReadonlyMap<string, string>;
  readonly #cache = new Map<string, PipelineStep | LarderError>();
  #names: string[] | undefined;

  constructor(dirs: readonly string[], builtins: ReadonlyMap<string, string>) {
    this.#dirs = dirs;
    this.#builtins = builtins;
  }

  /** The pipeline `name` (e.g. `autoconf/make`); throws PIPELINE_INVALID when absent or bad. */
  get(name: string): PipelineStep {
    let found = this.#cache.get(name);
    if (found === undefined) {
      found = this.#load(name);
      this.#cache.set(name, found);
    }
    if (found instanceof LarderError) throw found;
    return found;
  }

  /** Every pipeline name available, sorted (directories and built-ins). */
  names(): string[] {
    if (this.#names === undefined) {
      const all = new Set(this.#builtins.keys());
      for (const dir of this.#dirs) for (const n of yamlNames(dir)) all.add(n);
      this.#names = [...all].sort();
    }
    return this.#names;
  }

  #load(name: string): PipelineStep | LarderError {
    if (name.startsWith('/') || name.split('/').includes('..')) {
      return new LarderError(
        'PIPELINE_INVALID',
        `pipeline '${name}' must not be an absolute path or contain '..'`,
      );
    }
    try {
      for (const dir of this.#dirs) {
        const file = join(dir, `${name}.yaml`);
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        return parsePipelineFile(text, file);
      }
      const builtin = this.#builtins.get(name);
      if (builtin !== undefined) return parsePipelineFile(builtin, `builtin:${name}.yaml`);
    } catch (err) {
      if (err instanceof LarderError) return err;
      throw err;
    }
    return new LarderError(
      'PIPELINE_INVALID',
      `unknown pipeline '${name}' (known: ${this.names().join(', ') || 'none'})`,
    );
  }
}

function yamlNames(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => relative('', f).split(sep).join('/').slice(0, -'.yaml'.length));
  } catch {
    return [];
  }
}
