/** A pipeline library over `--pipeline-dir` directories and larder's built-in pipelines. */
import { BUILTIN_PIPELINES } from '../pipelines/index.js';
import { PipelineLibrary } from './pipeline-library.js';

/** Searches `dirs` in order, then the built-ins (a directory entry wins, as in melange). */
export function pipelineLibrary(dirs: readonly string[] = []): PipelineLibrary {
  return new PipelineLibrary(dirs, BUILTIN_PIPELINES);
}
